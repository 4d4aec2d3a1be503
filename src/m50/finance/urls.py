from django.urls import path

import m50.municipalities.urls  # noqa: F401  (registers the "gemeentecode" path converter)
from m50.finance import views

app_name = "finance"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("facturatie/", views.invoice_run, name="invoice_run"),
    path("facturatie/versturen/", views.invoice_send_all, name="invoice_send_all"),
    path("herinneringen/", views.reminders, name="reminders"),
    path("contributie/", views.fees, name="fees"),
    path("factuurgegevens/", views.billing_list, name="billing_list"),
    path("factuurgegevens/<gemeentecode:code>/", views.billing_details, name="billing_details"),
    path("facturen/", views.invoice_index, name="invoice_list"),
    path("facturen/<str:number>/", views.invoice_detail, name="invoice_detail"),
    path("facturen/<str:number>/versturen/", views.invoice_send_view, name="invoice_send"),
    path("facturen/<str:number>/crediteren/", views.invoice_credit, name="invoice_credit"),
    path("facturen/<str:draft>/bijwerken/", views.invoice_refresh, name="invoice_refresh"),
    path("facturen/<str:draft>/intrekken/", views.invoice_withdraw, name="invoice_withdraw"),
    path("facturen/<str:number>/betaling/", views.payment_create, name="payment_create"),
    path("facturen/<str:number>/pdf", views.invoice_pdf, name="invoice_pdf"),
    path("facturen/<str:number>/ubl", views.invoice_ubl, name="invoice_ubl"),
    path("openstaand/", views.open_amounts, name="open_amounts"),
    path("betalingen/", views.payment_index, name="payment_list"),
    path("bankregels/", views.bank_lines, name="bank_lines"),
    path("bankregels/inlezen/", views.statement_import, name="statement_import"),
    path("bankregels/<int:line_id>/koppelen/", views.line_match, name="line_match"),
]

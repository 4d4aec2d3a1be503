from decimal import Decimal

from django.db import migrations, models
from django.db.models import Sum


def fill_paid_amount(apps, schema_editor):
    """The paid amount of the invoices that have payments, from those payments."""
    Invoice = apps.get_model("finance", "Invoice")
    Payment = apps.get_model("finance", "Payment")
    sums = (
        Payment.objects.filter(invoice__isnull=False)
        .order_by()
        .values("invoice")
        .annotate(total=Sum("amount"))
        .values_list("invoice", "total")
    )
    Invoice.objects.bulk_update(
        [Invoice(pk=pk, paid_amount=total) for pk, total in sums],
        ["paid_amount"],
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0004_invoice_draft_numbering"),
    ]

    operations = [
        migrations.AddField(
            model_name="invoice",
            name="paid_amount",
            field=models.DecimalField(
                decimal_places=2, default=Decimal("0.00"), max_digits=12, verbose_name="betaald"
            ),
        ),
        migrations.RunPython(fill_paid_amount, migrations.RunPython.noop, elidable=True),
    ]

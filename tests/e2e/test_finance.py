"""The full invoice cycle in the browser: run 2024, send, import a bank statement, see it paid."""

import re

from playwright.sync_api import expect

from m50.accounts.models import Role
from m50.finance.models import Invoice
from tests.e2e.test_registry import check_page

STATEMENT = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>E2E-20240315</MsgId><CreDtTm>2024-03-16T06:12:34+01:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>E2E-2024-03-15</Id>
      <CreDtTm>2024-03-16T06:12:34+01:00</CreDtTm>
      <Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id><Ccy>EUR</Ccy></Acct>
      <Ntry>
        <Amt Ccy="EUR">5000.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>2024-03-15</Dt></BookgDt>
        <AcctSvcrRef>E2E0001</AcctSvcrRef>
        <NtryDtls><TxDtls>
          <RltdPties><Dbtr><Nm>GEMEENTE DIEMEN</Nm></Dbtr></RltdPties>
          <RmtInf><Ustrd>Factuur {number} contributie M50</Ustrd></RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>
    </Stmt>
  </BkToCstmrStmt>
</Document>
"""


def test_run_send_import_and_paid(
    page, live_server, login, axe_check, fits_narrow_screen, tmp_path
):
    login(Role.BUREAU)
    # Diemen's invoice address, needed for a valid e-invoice.
    page.goto(f"{live_server.url}/financien/factuurgegevens/GM0384/")
    page.get_by_label(re.compile(r"^Adres")).fill("Wilgenplein 2")
    page.get_by_label(re.compile(r"^Postcode")).fill("1111 HB")
    page.get_by_label(re.compile(r"^Plaats")).fill("Diemen")
    page.get_by_label(re.compile(r"^E-mailadres facturen")).fill("facturen@diemen.nl")
    page.get_by_role("button", name="Factuurgegevens opslaan").click()
    check_page(page, axe_check, fits_narrow_screen)

    page.goto(f"{live_server.url}/financien/facturatie/")
    page.get_by_label("Contributiejaar").fill("2024")
    page.get_by_role("button", name="Voorbeeld bekijken").click()
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_role("button", name=re.compile(r"61 facturen aanmaken")).click()
    expect(page.get_by_text(re.compile("61 facturen voor 2024 aangemaakt"))).to_be_visible()
    draft = Invoice.objects.get(membership__municipality__code="GM0384", fee_year=2024)
    assert draft.number is None

    page.goto(f"{live_server.url}/financien/facturen/{draft.key}/")
    check_page(page, axe_check, fits_narrow_screen)
    page.goto(f"{live_server.url}/financien/facturen/{draft.key}/versturen/")
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_role("button", name="Versturen").click()
    expect(page.get_by_text(re.compile("verzonden", re.IGNORECASE)).first).to_be_visible()
    number = Invoice.objects.get(pk=draft.pk).number
    assert number is not None

    statement = tmp_path / "afschrift.xml"
    statement.write_text(STATEMENT.format(number=number), encoding="utf-8")
    page.goto(f"{live_server.url}/financien/bankregels/")
    page.get_by_label("Bankafschrift (CAMT.053, XML)").set_input_files(str(statement))
    page.get_by_role("button", name="Afschrift inlezen").click()
    check_page(page, axe_check, fits_narrow_screen)

    page.goto(f"{live_server.url}/financien/facturen/{number}/")
    expect(page.get_by_text("betaald", exact=True).first).to_be_visible()
    invoice = Invoice.objects.get(number=number)
    assert invoice.state == Invoice.State.SENT and invoice.payments.count() == 1


def test_the_preview_names_a_member_without_invoice_details_fixed_before_sending(
    page, live_server, login, axe_check, fits_narrow_screen
):
    login(Role.BUREAU)
    page.goto(f"{live_server.url}/financien/facturatie/")
    page.get_by_label("Contributiejaar").fill("2024")
    page.get_by_label("Factuurdatum").fill("2024-01-16")
    page.get_by_role("button", name="Voorbeeld bekijken").click()
    check_page(page, axe_check, fits_narrow_screen)
    # No member has an invoice address yet: Diemen among them, with what it lacks.
    expect(
        page.get_by_text(re.compile(r"61 leden hebben onvolledige factuurgegevens"))
    ).to_be_visible()
    diemen = page.get_by_role("listitem").filter(has_text="Factuurgegevens van Diemen aanvullen")
    expect(diemen).to_contain_text("ontbreekt: adres, postcode, plaats, e-mailadres")
    assert Invoice.objects.count() == 0  # the preview creates nothing

    diemen.get_by_role("link", name="Factuurgegevens van Diemen aanvullen").click()
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_label(re.compile(r"^Adres")).fill("Wilgenplein 2")
    page.get_by_label(re.compile(r"^Postcode")).fill("1111hb")
    page.get_by_label(re.compile(r"^Plaats")).fill("Diemen")
    page.get_by_label(re.compile(r"^E-mailadres facturen")).fill("facturen@diemen.nl")
    page.get_by_role("button", name="Factuurgegevens opslaan").click()

    # Back on the preview, Diemen is complete now; the 60 others still are not.
    page.wait_for_url(re.compile(r"/financien/facturatie/\?"))
    expect(
        page.get_by_text(re.compile(r"60 leden hebben onvolledige factuurgegevens"))
    ).to_be_visible()
    expect(page.get_by_text("Factuurgegevens van Diemen aanvullen")).to_have_count(0)
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_role("button", name=re.compile(r"61 facturen aanmaken")).click()

    # The year's drafts, sent in one action: Diemen goes out, the others are named with why.
    page.wait_for_url(re.compile(r"/financien/facturatie/versturen/"))
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_label("Factuurdatum").fill("2024-01-20")
    page.get_by_role("button", name="Alle concepten versturen").click()
    expect(page.get_by_text(re.compile(r"^1 factuur verstuurd$"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"60 concepten niet verstuurd"))).to_be_visible()
    check_page(page, axe_check, fits_narrow_screen)
    sent = Invoice.objects.get(number__isnull=False)
    assert sent.membership.municipality.code == "GM0384"
    assert (sent.number, str(sent.issue_date), sent.debtor_postal_code) == (
        "2024-0001",
        "2024-01-20",
        "1111 HB",
    )
    assert Invoice.objects.filter(number__isnull=True).count() == 60

    page.goto(f"{live_server.url}/financien/herinneringen/")
    check_page(page, axe_check, fits_narrow_screen)


def test_a_member_contact_downloads_only_its_own_invoices(page, live_server, login):
    from m50.finance import services

    services.fee_reference_load()
    for draft in services.invoice_run(year=2024):
        services.invoice_mark_sent(invoice=draft, recipients=["f@gemeente.example"])
    own = Invoice.objects.get(membership__municipality__code="GM0384").number
    other = Invoice.objects.exclude(membership__municipality__code="GM0384").first().number
    login(Role.MEMBER_CONTACT)  # of Diemen
    response = page.request.get(f"{live_server.url}/financien/facturen/{own}/pdf")
    assert response.status == 200 and response.body().startswith(b"%PDF")
    assert page.request.get(f"{live_server.url}/financien/facturen/{other}/pdf").status == 404

from m50.accounts.models import Role


def test_home_passes_axe_and_reflows(
    page, live_server, transactional_db, axe_check, fits_narrow_screen
):
    page.goto(live_server.url + "/")
    assert page.locator("h1").count() == 1
    axe_check()
    fits_narrow_screen()
    axe_check()


def test_login_form(page, live_server, login, axe_check):
    page.goto(live_server.url + "/account/inloggen/")
    axe_check()
    user = login(Role.BUREAU)
    assert user.username in page.content()

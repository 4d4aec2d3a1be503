class MunicipalityCodeConverter:
    """A CBS municipality code (GM0384), any case; anything else never reaches a view."""

    regex = "[Gg][Mm][0-9]{4}"

    def to_python(self, value: str) -> str:
        return value.upper()

    def to_url(self, value: str) -> str:
        return value

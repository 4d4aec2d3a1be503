"""factory-boy factories for test data that is not the shipped reference data."""

import factory

from m50.accounts.models import Role, User
from m50.contacts import search as contacts_search
from m50.contacts.models import Organisation, Person, Position
from m50.municipalities.models import (
    Municipality,
    Network,
    NetworkMembership,
    PopulationCount,
    Province,
)


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"PV{20 + n % 80:02d}")
    name = factory.Sequence(lambda n: f"Provincie {n}")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    code = factory.Sequence(lambda n: f"GM{9000 - n:04d}")
    name = factory.Sequence(lambda n: f"Gemeente {n:05d}")
    province = factory.SubFactory(ProvinceFactory)


class PopulationCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PopulationCount

    municipality = factory.SubFactory(MunicipalityFactory)
    year = 2024
    inhabitants = 45_000
    source = "test"


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network
        django_get_or_create = ("code",)

    code = "M50"
    name = factory.LazyAttribute(lambda o: f"Netwerk {o.code}")


class NetworkMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkMembership

    network = factory.SubFactory(NetworkFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    as_of = "2023-04"
    status = "lid"
    source_url = "https://example.org/bron"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.OTHER
    name = factory.Sequence(lambda n: f"Organisatie {n:05d}")
    slug = factory.Sequence(lambda n: f"organisatie-{n:05d}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # In the search index as when the contacts services make it.
        obj = super()._create(model_class, *args, **kwargs)
        contacts_search.organisation_index(obj)
        return obj


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    given_name = factory.Faker("first_name", locale="nl_NL")
    surname = factory.Faker("last_name", locale="nl_NL")
    email = factory.Sequence(lambda n: f"persoon{n}@example.org")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # In the search index as when the contacts services make it.
        obj = super()._create(model_class, *args, **kwargs)
        contacts_search.person_index(obj)
        return obj


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    function = Position.Function.POLICY_ADVISOR

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # In the search index as when the contacts services make it.
        obj = super()._create(model_class, *args, **kwargs)
        contacts_search.person_index(obj.person)
        return obj


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    role = Role.BUREAU
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


# --- Pillars (the shipped pillars exist after migrate; these make others) ---------------------


class PillarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "pillars.Pillar"

    name = factory.Sequence(lambda n: f"Pijler {n:05d}")
    slug = factory.Sequence(lambda n: f"pijler-{n:05d}")


class ThemeGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "pillars.ThemeGroup"

    name = factory.Sequence(lambda n: f"Themagroep {n:05d}")
    slug = factory.Sequence(lambda n: f"themagroep-{n:05d}")
    pillar = factory.SubFactory(PillarFactory)

"""The hall editor: stands drawn through the plan services (snapped to the grid, inside the
hall, never overlapping, booked stands kept), the editor's form and JSON answers, the CSV
export that the import reads back, and a second organisation that finds nothing."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from events_platform.models import AuditEntry
from fairs.models import Stand
from fairs.services import plans
from infra.errors import DomainError
from tests.factories import MembershipFactory, OrganisationFactory
from tests.fairs.factories import HallFactory, StandBookingFactory, StandFactory

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def hall():
    return HallFactory(width_m=D("20"), depth_m=D("10"))


@pytest.fixture
def organiser(hall):
    return MembershipFactory(organisation=hall.fair.event.organisation).user


def stand(hall, label, x, y, width="3", depth="3", **extra):
    return StandFactory(
        hall=hall, label=label, x_m=D(x), y_m=D(y), width_m=D(width), depth_m=D(depth), **extra
    )


def add(hall, by, label="A1", x="0", y="0", width="3", depth="3", **extra):
    return plans.add_stand(
        hall=hall,
        by=by,
        label=label,
        x_m=D(x),
        y_m=D(y),
        width_m=D(width),
        depth_m=D(depth),
        price=D("120"),
        **extra,
    )


# --- services ----------------------------------------------------------------------------


def test_a_drawn_stand_snaps_to_the_half_metre_grid_and_is_audited(hall, organiser):
    drawn = add(hall, organiser, x="3.3", y="1.74", width="2.8", depth="3.1", has_power=True)

    drawn.refresh_from_db()
    assert (drawn.x_m, drawn.y_m, drawn.width_m, drawn.depth_m) == (
        D("3.50"),
        D("1.50"),
        D("3.00"),
        D("3.00"),
    )
    entry = AuditEntry.objects.get(action="stand_add")
    assert entry.organisation == hall.fair.event.organisation
    assert entry.details["after"]["label"] == "A1"


def test_a_stand_that_would_overlap_another_is_refused_with_its_label(hall, organiser):
    stand(hall, "B7", "5", "0")

    with pytest.raises(DomainError) as refused:
        add(hall, organiser, x="6", y="1")

    assert refused.value.code == "stand_overlap"
    assert "B7" in str(refused.value)
    assert not hall.stands.filter(label="A1").exists()


def test_stands_may_touch_edge_to_edge(hall, organiser):
    stand(hall, "B7", "3", "0")

    add(hall, organiser, x="0", y="0", width="3")

    assert hall.stands.count() == 2


def test_a_stand_outside_the_hall_is_refused(hall, organiser):
    with pytest.raises(DomainError) as refused:
        add(hall, organiser, x="18.5", y="0")

    assert refused.value.code == "stand_outside_hall"


def test_a_booked_stand_cannot_be_moved_into_another_stand(hall, organiser):
    booked = stand(hall, "A1", "0", "0")
    StandBookingFactory(stand=booked)
    stand(hall, "A2", "6", "0")

    with pytest.raises(DomainError) as refused:
        plans.move_stand(stand=booked, by=organiser, x_m=D("5"), y_m=D("0"))

    assert refused.value.code == "stand_overlap"
    booked.refresh_from_db()
    assert booked.x_m == D("0")


def test_a_booked_stand_may_move_to_a_free_place(hall, organiser):
    booked = stand(hall, "A1", "0", "0")
    StandBookingFactory(stand=booked)

    plans.move_stand(stand=booked, by=organiser, x_m=D("10"), y_m=D("5"))

    booked.refresh_from_db()
    assert (booked.x_m, booked.y_m) == (D("10"), D("5"))


def test_a_booked_stand_cannot_be_deleted(hall, organiser):
    booked = stand(hall, "A1", "0", "0")
    StandBookingFactory(stand=booked)

    with pytest.raises(DomainError) as refused:
        plans.delete_stand(stand=booked, by=organiser)

    assert refused.value.code == "stand_has_bookings"
    assert Stand.objects.filter(pk=booked.pk).exists()


def test_a_free_stand_is_deleted_and_the_deletion_audited(hall, organiser):
    free = stand(hall, "A1", "0", "0")

    plans.delete_stand(stand=free, by=organiser)

    assert not Stand.objects.filter(pk=free.pk).exists()
    assert AuditEntry.objects.filter(action="stand_delete", target_repr__startswith="A1").exists()


def test_rotate_swaps_width_and_depth_and_renumber_refuses_a_taken_label(hall, organiser):
    long = stand(hall, "A1", "0", "0", width="6", depth="2")
    stand(hall, "A2", "10", "0")

    plans.rotate_stand(stand=long, by=organiser)
    long.refresh_from_db()
    assert (long.width_m, long.depth_m) == (D("2"), D("6"))

    with pytest.raises(DomainError) as refused:
        plans.renumber_stand(stand=long, by=organiser, label="A2")
    assert refused.value.code == "stand_label_taken"
    plans.renumber_stand(stand=long, by=organiser, label="C1")
    long.refresh_from_db()
    assert long.label == "C1"


def test_resize_into_a_neighbour_is_refused(hall, organiser):
    first = stand(hall, "A1", "0", "0")
    stand(hall, "A2", "4", "0")

    with pytest.raises(DomainError) as refused:
        plans.resize_stand(stand=first, by=organiser, width_m=D("4.5"), depth_m=D("3"))

    assert refused.value.code == "stand_overlap"


def test_the_csv_export_reads_back_as_the_same_plan(hall):
    stand(hall, "A1", "0", "0", width="2.5", kind="corner", has_power=True, has_water=False)
    stand(hall, "A2", "4", "0.5", width="6", depth="2", price=D("99.50"), blocked=True)
    stand(hall, "B1", "10", "5", has_power=False, has_water=True)
    exported = plans.export_stands_csv(hall=hall)

    other = HallFactory(fair=hall.fair, width_m=D("20"), depth_m=D("10"))
    assert plans.import_stands_csv(hall=other, text=exported) == 3

    assert plans.export_stands_csv(hall=other) == exported
    assert exported.splitlines()[0] == "label,kind,x,y,width,depth,price,power,water,blocked"
    assert "A2,row,4,0.5,6,2,99.50,yes,no,yes" in exported.splitlines()


# --- the editor page and its JSON answers --------------------------------------------------


def test_the_editor_shows_the_hall_and_a_selected_stand(client, hall, organiser):
    chosen = stand(hall, "A1", "0", "0")
    client.force_login(organiser)

    page = client.get(reverse("workspace:plan-edit", args=[hall.pk]), {"stand": chosen.pk})

    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-stand-id="{chosen.pk}"' in html
    assert 'value="A1"' in html


def test_the_form_without_script_adds_a_stand_and_redirects_to_it(client, hall, organiser):
    client.force_login(organiser)
    url = reverse("workspace:plan-edit", args=[hall.pk])

    answer = client.post(
        url,
        {
            "label": "N1",
            "kind": "island",
            "x_m": "2",
            "y_m": "2",
            "width_m": "4",
            "depth_m": "4",
            "price": "200",
            "has_water": "on",
            "action": "save",
        },
    )

    added = hall.stands.get(label="N1")
    assert answer.status_code == 302
    assert answer["Location"] == f"{url}?stand={added.pk}"
    assert added.kind == "island" and added.has_water and not added.has_power


def test_the_form_without_script_shows_an_overlap_next_to_the_form(client, hall, organiser):
    stand(hall, "B7", "0", "0")
    client.force_login(organiser)

    page = client.post(
        reverse("workspace:plan-edit", args=[hall.pk]),
        {
            "label": "N1",
            "kind": "row",
            "x_m": "1",
            "y_m": "1",
            "width_m": "3",
            "depth_m": "3",
            "price": "10",
            "action": "save",
        },
    )

    assert page.status_code == 400
    assert "B7" in page.content.decode()
    assert 'role="alert"' in page.content.decode()


def test_the_json_endpoint_moves_a_stand_and_answers_the_saved_values(client, hall, organiser):
    moved = stand(hall, "A1", "0", "0", price=D("150"))
    client.force_login(organiser)

    answer = client.post(
        reverse("workspace:plan-edit", args=[hall.pk]),
        {
            "stand": moved.pk,
            "label": "A1",
            "kind": "row",
            "x_m": "2.5",
            "y_m": "0.74",
            "width_m": "3",
            "depth_m": "3",
            "price": "150",
            "has_power": "on",
            "action": "save",
        },
        HTTP_ACCEPT="application/json",
    )

    assert answer.status_code == 200
    body = json.loads(answer.content)
    assert body["stand"]["x_m"] == "2.50" and body["stand"]["y_m"] == "0.50"
    moved.refresh_from_db()
    assert (moved.x_m, moved.y_m) == (D("2.5"), D("0.5"))


def test_the_json_endpoint_refuses_deleting_a_booked_stand_with_its_code(client, hall, organiser):
    booked = stand(hall, "A1", "0", "0")
    StandBookingFactory(stand=booked)
    client.force_login(organiser)

    answer = client.post(
        reverse("workspace:plan-edit", args=[hall.pk]),
        {
            "stand": booked.pk,
            "label": "A1",
            "kind": "row",
            "x_m": "0",
            "y_m": "0",
            "width_m": "3",
            "depth_m": "3",
            "price": "150",
            "action": "delete",
        },
        HTTP_ACCEPT="application/json",
    )

    assert answer.status_code == 409
    assert json.loads(answer.content)["code"] == "stand_has_bookings"
    assert Stand.objects.filter(pk=booked.pk).exists()


def test_the_export_download_is_the_csv_of_the_hall(client, hall, organiser):
    stand(hall, "A1", "0", "0")
    client.force_login(organiser)

    answer = client.get(reverse("workspace:plan-export", args=[hall.pk]))

    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/csv")
    assert answer.content.decode("utf-8-sig").splitlines()[1].startswith("A1,row,0,0,3,3,")


def test_a_second_organisation_finds_no_plan_of_the_first(client, hall):
    stand(hall, "A1", "0", "0")
    other = MembershipFactory(organisation=OrganisationFactory()).user
    client.force_login(other)

    assert client.get(reverse("workspace:plan-edit", args=[hall.pk])).status_code == 404
    assert client.get(reverse("workspace:plan-export", args=[hall.pk])).status_code == 404
    refused = client.post(
        reverse("workspace:plan-edit", args=[hall.pk]),
        {
            "label": "X",
            "kind": "row",
            "x_m": "10",
            "y_m": "5",
            "width_m": "3",
            "depth_m": "3",
            "price": "1",
            "action": "save",
        },
    )
    assert refused.status_code == 404
    assert hall.stands.count() == 1
    listing = client.get(reverse("workspace:plan-list"))
    assert listing.status_code == 200 and hall.name not in listing.content.decode()

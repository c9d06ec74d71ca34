import pytest

from staff.models import Employee, OrgUnit
from staff.selectors import employee_supervisor, unit_members, unit_subtree
from staff.services import unit_save


@pytest.mark.django_db
def test_supervisor_is_the_unit_head_or_the_parent_units_head(personas):
    pegawai = personas["pegawai"].employee
    atasan = personas["atasan"].employee
    ppk = personas["ppk"].employee  # heads the Bagian above the Subbagian
    pimpinan = personas["pimpinan"].employee
    assert employee_supervisor(pegawai) == atasan
    assert employee_supervisor(atasan) == ppk  # a unit head reports to the parent unit's head
    assert employee_supervisor(ppk) == pimpinan
    assert employee_supervisor(personas["admin"].employee) == atasan


@pytest.mark.django_db
def test_explicit_supervisor_overrides_the_unit_head(personas):
    pegawai = personas["pegawai"].employee
    pegawai.supervisor = personas["ppk"].employee
    pegawai.save()
    assert employee_supervisor(pegawai) == personas["ppk"].employee


@pytest.mark.django_db
def test_unit_members_include_sub_units_on_request(personas):
    biro = OrgUnit.objects.get(code="BUP")
    subbag = OrgUnit.objects.get(code="BUP.TU.1")
    all_members = set(unit_members(biro).values_list("name", flat=True))
    direct = set(unit_members(biro, include_subunits=False).values_list("name", flat=True))
    assert personas["pegawai"].employee.name in all_members
    assert personas["luar"].employee.name not in all_members
    assert direct == {personas["pimpinan"].employee.name}
    assert set(unit_members(subbag)) >= {personas["pegawai"].employee, personas["honorer"].employee}


@pytest.mark.django_db
def test_moving_a_unit_rewrites_the_paths_of_its_sub_units(personas):
    bagian = OrgUnit.objects.get(code="BUP.TU")
    hukum = OrgUnit.objects.get(code="BHK")
    bagian.parent = hukum
    unit_save(bagian)
    assert set(unit_subtree(hukum).values_list("code", flat=True)) >= {"BUP.TU", "BUP.TU.1", "BUP.TU.2"}
    assert not unit_subtree(OrgUnit.objects.get(code="BUP")).filter(code="BUP.TU.1").exists()


@pytest.mark.django_db
def test_demo_bureau_is_idempotent_and_about_ten_percent_non_asn():
    from situok.services import roles_sync
    from staff.demo import seed_people

    roles_sync()
    seed_people(1)
    count = Employee.objects.count()
    seed_people(1)
    assert Employee.objects.count() == count == 40
    non_asn = Employee.objects.filter(employee_type=Employee.Type.NON_ASN).count()
    assert 3 <= non_asn <= 6
    assert not Employee.objects.filter(employee_type=Employee.Type.NON_ASN, nip__isnull=False).exists()

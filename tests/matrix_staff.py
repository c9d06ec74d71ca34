"""Permission-matrix rows of staff/ (records, profile, histories, documents, corrections).

``@name`` values are resolved by tests/test_permissions.py: ``@pegawai``, ``@luar`` … are the persona's
employee id; ``@retired`` a retired employee of another Subbagian; ``@doc`` an SK of pegawai; ``@correction``
a pending correction request of pegawai (with an attachment; filed without an approval request, like
one from before corrections went through the approval engine).
"""

ALL = ("admin", "pimpinan", "atasan", "kepegawaian", "perjalanan", "pegawai", "honorer", "luar")
P = {"pk": "@pegawai"}
R = {"pk": "@retired"}

ROWS = [
    *[("staff:employee_list", {}, "get", p, 200) for p in ALL],
    ("staff:employee_list", {}, "get", "anon", 302),
    # Every colleague sees the public profile; a retired colleague only by those who keep records.
    *[("staff:employee_detail", P, "get", p, 200) for p in ALL],
    ("staff:employee_detail", P, "get", "anon", 302),
    ("staff:employee_detail", R, "get", "kepegawaian", 200),
    ("staff:employee_detail", R, "get", "pimpinan", 200),
    ("staff:employee_detail", R, "get", "luar", 404),
    ("staff:employee_detail", R, "get", "atasan", 404),
    ("staff:employee_detail", {"pk": 999999}, "get", "kepegawaian", 404),
    ("staff:employee_edit", P, "get", "kepegawaian", 200),
    ("staff:employee_edit", P, "get", "admin", 200),
    ("staff:employee_edit", P, "get", "atasan", 403),
    ("staff:employee_edit", P, "get", "pegawai", 403),
    ("staff:employee_edit", P, "get", "luar", 403),
    ("staff:employee_edit", R, "get", "luar", 404),
    ("staff:employee_edit", P, "get", "anon", 302),
    ("staff:employee_create", {}, "get", "kepegawaian", 200),
    ("staff:employee_create", {}, "get", "pegawai", 403),
    ("staff:employee_create", {}, "get", "anon", 302),
    *[("staff:my_profile", {}, "get", p, 200) for p in ALL],
    ("staff:my_profile", {}, "get", "anon", 302),
    ("staff:employee_photo", P, "get", "luar", 200),
    ("staff:employee_photo", P, "get", "pegawai", 200),
    ("staff:employee_photo", R, "get", "luar", 404),
    ("staff:employee_photo", P, "get", "anon", 302),
    ("staff:history_add", {"pk": "@pegawai", "kind": "pangkat"}, "get", "kepegawaian", 200),
    ("staff:history_add", {"pk": "@pegawai", "kind": "kgb"}, "get", "kepegawaian", 200),
    ("staff:history_add", {"pk": "@pegawai", "kind": "rahasia"}, "get", "kepegawaian", 404),
    ("staff:history_add", {"pk": "@pegawai", "kind": "pangkat"}, "get", "pegawai", 403),
    ("staff:history_add", {"pk": "@pegawai", "kind": "pangkat"}, "get", "atasan", 403),
    ("staff:history_add", {"pk": "@pegawai", "kind": "pangkat"}, "get", "anon", 302),
    ("staff:document_upload", P, "get", "kepegawaian", 200),
    ("staff:document_upload", P, "get", "pegawai", 403),
    ("staff:document_upload", P, "get", "anon", 302),
    ("staff:document_download", {"pk": "@pegawai", "doc_pk": "@doc"}, "get", "kepegawaian", 200),
    ("staff:document_download", {"pk": "@pegawai", "doc_pk": "@doc"}, "get", "pegawai", 200),
    ("staff:document_download", {"pk": "@pegawai", "doc_pk": "@doc"}, "get", "atasan", 200),
    ("staff:document_download", {"pk": "@pegawai", "doc_pk": "@doc"}, "get", "honorer", 404),
    ("staff:document_download", {"pk": "@pegawai", "doc_pk": "@doc"}, "get", "luar", 404),
    ("staff:document_download", {"pk": "@luar", "doc_pk": "@doc"}, "get", "kepegawaian", 404),
    ("staff:document_download", {"pk": "@pegawai", "doc_pk": "@doc"}, "get", "anon", 302),
    ("staff:reminders", {}, "get", "kepegawaian", 200),
    ("staff:reminders", {}, "get", "pimpinan", 200),
    ("staff:reminders", {}, "get", "pegawai", 403),
    ("staff:reminders", {}, "get", "atasan", 403),
    ("staff:reminders", {}, "get", "anon", 302),
    ("staff:correction_create", {}, "get", "pegawai", 200),
    ("staff:correction_create", {}, "get", "anon", 302),
    ("staff:correction_list", {}, "get", "kepegawaian", 200),
    ("staff:correction_list", {}, "get", "admin", 200),
    ("staff:correction_list", {}, "get", "pegawai", 403),
    ("staff:correction_list", {}, "get", "atasan", 403),
    ("staff:correction_list", {}, "get", "anon", 302),
    ("staff:correction_decide", {"pk": "@correction"}, "get", "kepegawaian", 200),
    ("staff:correction_decide", {"pk": "@correction"}, "get", "admin", 200),
    # The correction's link in notifications: its requester is sent on to "Profil Saya".
    ("staff:correction_decide", {"pk": "@correction"}, "get", "pegawai", 302),
    ("staff:correction_decide", {"pk": "@correction"}, "post", "pegawai", 302),
    ("staff:correction_decide", {"pk": "@correction"}, "get", "luar", 403),
    ("staff:correction_decide", {"pk": "@correction"}, "post", "atasan", 403),
    ("staff:correction_decide", {"pk": 999999}, "get", "luar", 403),
    ("staff:correction_decide", {"pk": 999999}, "get", "kepegawaian", 404),
    ("staff:correction_decide", {"pk": "@correction"}, "get", "anon", 302),
    ("staff:correction_attachment", {"pk": "@correction"}, "get", "kepegawaian", 200),
    ("staff:correction_attachment", {"pk": "@correction"}, "get", "pegawai", 200),
    ("staff:correction_attachment", {"pk": "@correction"}, "get", "luar", 404),
    ("staff:correction_attachment", {"pk": "@correction"}, "get", "anon", 302),
]

"""Materials endpoints in the access matrix."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from campaignflow.materials.models import Material, MaterialComment, MaterialFile
from tests.support.tables import read_table

ROWS = read_table(Path(__file__).with_name("access_table.txt"), columns=11)


def _material(ctx) -> Material:
    return Material.objects.get(pk=ctx["material_id"])


BODIES = {
    "create material": lambda ctx: {"name": "联名海报", "kind": "poster"},
    "patch material": lambda ctx: {"version": _material(ctx).version, "name": "联名海报（终稿）"},
    "review material": lambda ctx: {"decision": "request_changes", "comment": "Logo 太小"},
    "accept material": lambda ctx: {"received_quantity": 480},
    "create material comment": lambda ctx: {"body": "Logo 再放大一点", "x": 0.1, "y": 0.1, "w": 0.2, "h": 0.2},
    "patch material comment": lambda ctx: {
        "version": MaterialComment.objects.get(pk=ctx["material_comment_id"]).version,
        "resolved": True,
    },
}
QUERY = {"delete material": lambda ctx: f"?version={_material(ctx).version}"}
MULTIPART = {"upload material file": lambda ctx: {"file": SimpleUploadedFile("poster.png", b"")}}
PREPARE = {
    "review material": lambda ctx: Material.objects.filter(pk=ctx["material_id"]).update(status="in_review"),
    "accept material": lambda ctx: Material.objects.filter(pk=ctx["material_id"]).update(status="approved"),
}


def setup(ctx):
    owner = ctx["users"]["owner"]
    material = Material.objects.create(
        campaign=ctx["campaign"],
        code="M001",
        name="联名海报",
        partner_approval=True,
        shared_with_partners=True,
        revision=1,
    )
    file = MaterialFile.objects.create(
        material=material,
        revision=1,
        filename="poster.png",
        size=10,
        sha256="0" * 64,
        content_type="image/png",
        kind="image",
        blob="materials/00/" + "0" * 64,
        uploaded_by=owner,
    )
    comment = MaterialComment.objects.create(material=material, file=file, body="第一版意见", author=owner)
    ctx.update(material_id=material.pk, material_file_id=file.pk, material_comment_id=comment.pk)

"""Import by upload: files through the loaders' pipeline, a dry run first, then confirm."""

from __future__ import annotations

import re
import shutil
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, UploadFile
from pydantic import BaseModel, Field

from graphsvc.api.deps import ServiceDep, get_settings, require_token
from graphsvc.api.models import ImportErrorOut, errors
from graphsvc.errors import ImportFailed, InputError, NotFound
from graphsvc.settings import Settings

__all__ = ["router", "safe_filename", "remove_stale_uploads", "KINDS", "NAME_LIMIT"]

router = APIRouter(prefix="/api/imports", tags=["import"], dependencies=[Depends(require_token)],
                   responses=errors(403, 404, 422, 503, model=ImportErrorOut))

KINDS = ("actor", "institution", "project", "grant", "participation", "collaboration",
         "membership", "attendance", "network", "event", "municipality")
Kind = Literal[KINDS]

# uploads waiting for confirmation: id -> (folder, options)
_pending: dict[str, tuple[Path, dict[str, Any]]] = {}
_pending_lock = threading.Lock()
_PENDING_MAX = 20  # unconfirmed uploads kept; the oldest go first
_PREFIX = "graphsvc-upload-"
NAME_LIMIT = 120  # characters of an uploaded file's name


def _expire_pending(settings: Settings) -> None:
    """Drop the unconfirmed uploads older than GRAPHSVC_PENDING_UPLOAD_MINUTES."""
    now = time.monotonic()
    with _pending_lock:
        old = [k for k, (_, v) in _pending.items() if now - v["at"] > settings.pending_upload_minutes * 60]
        folders = [_pending.pop(k)[0] for k in old]
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def remove_stale_uploads(settings: Settings, *, root: Path | None = None) -> list[Path]:
    """Delete upload folders older than GRAPHSVC_PENDING_UPLOAD_MINUTES in the temporary
    folder, such as those a stopped process left behind; return them."""
    root = Path(root or tempfile.gettempdir())
    limit = time.time() - settings.pending_upload_minutes * 60
    with _pending_lock:
        kept = {folder for folder, _ in _pending.values()}
    removed = []
    for folder in root.glob(_PREFIX + "*"):
        try:
            if folder.is_dir() and folder not in kept and folder.stat().st_mtime < limit:
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
        except OSError:  # gone already, or not ours to read
            continue
    return removed


def _keep_pending(import_id: str, folder: Path, saved: dict[str, Any]) -> None:
    saved["at"] = time.monotonic()
    with _pending_lock:
        _pending[import_id] = (folder, saved)
        while len(_pending) > _PENDING_MAX:
            shutil.rmtree(_pending.pop(next(iter(_pending)))[0], ignore_errors=True)


class ImportOut(BaseModel):
    id: str = Field(description="Confirm a dry run with POST /api/imports/{id}/confirm.")
    report: dict[str, Any] = Field(description="The validation report (counts, problems, merges).")


def safe_filename(name: str | None) -> str:
    """The last part of an uploaded file's name, with only harmless characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r"[^\w.\- æøåÆØÅ]", "_", base).strip(" .")
    return base[:120] or "upload"


def _save(files: list[UploadFile], settings: Settings) -> tuple[Path, list[Path], list[str]]:
    allowed = {t.strip().lower() for t in settings.upload_types.split(",")}
    limit = settings.max_upload_mb * 1024 * 1024
    for upload in files:
        given = re.split(r"[\\/]", upload.filename or "")[-1]
        if len(given) > NAME_LIMIT:
            raise InputError(
                f"{given[:40]}…: the file name has {len(given)} characters, more than the limit of "
                f"{NAME_LIMIT}; rename the file and upload it again"
            )
    folder = Path(tempfile.mkdtemp(prefix=_PREFIX))
    paths, names = [], []
    try:
        for i, upload in enumerate(files):
            name = safe_filename(upload.filename)
            suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
            if suffix not in allowed:
                raise InputError(
                    f"{name}: files of type {suffix or '(none)'!r} are not accepted; "
                    f"upload one of: {', '.join(sorted(allowed))}"
                )
            path = folder / f"{i:02d}-{name}"
            size = 0
            with path.open("wb") as out:
                while chunk := upload.file.read(1 << 20):
                    size += len(chunk)
                    if size > limit:
                        raise InputError(
                            f"{name} is larger than the upload limit of {settings.max_upload_mb} MB "
                            "(GRAPHSVC_MAX_UPLOAD_MB); split it or load it with `graphsvc load`"
                        )
                    out.write(chunk)
            paths.append(path)
            names.append(name)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder, paths, names


def _run(service, paths: list[Path], names: list[str], options: dict[str, Any], *, dry_run: bool,
         lang: str = "en") -> dict:
    from loaders import import_files

    try:
        report = import_files(service.store, paths, names=names, dry_run=dry_run, **options)
        if report.written:
            service.warm_in_background()
    except ImportFailed as e:
        # the response carries the whole report, so every problem can be shown
        e.report_dict = e.report.to_dict(lang) if e.report is not None else None
        raise
    return report.to_dict(lang)


@router.post("", response_model=ImportOut)
def upload(
    service: ServiceDep,
    settings: Annotated[Settings, Depends(get_settings)],
    files: Annotated[list[UploadFile], File(description="CSV, XLSX, JSON or JSON Lines files.")],
    kind: Annotated[Kind | None, Form(description="What every file holds, when its columns do not say.")] = None,
    sheet: Annotated[str | None, Form(max_length=100, description="Workbook sheet to read.")] = None,
    accept_valid: Annotated[bool, Form(description="Import the valid rows even when others have errors.")] = False,
    dry_run: Annotated[bool, Form(description="Only check and report (the default); confirm to write.")] = True,
    lang: Annotated[Literal["en", "da"], Form(description="Language of the report's status and problems.")] = "en",
) -> dict:
    """Upload files and check them (a dry run by default); nothing is written until confirmed."""
    _expire_pending(settings)
    folder, paths, names = _save(files, settings)
    options = {"kind": kind, "sheet": sheet, "accept_valid": accept_valid}
    keep = False
    try:
        report = _run(service, paths, names, options, dry_run=dry_run, lang=lang)
        import_id = uuid.uuid4().hex
        if dry_run:
            _keep_pending(import_id, folder, {"paths": paths, "names": names, "options": options, "lang": lang})
            keep = True
        return {"id": import_id, "report": report}
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


@router.post("/{import_id}/confirm", response_model=ImportOut)
def confirm(import_id: str, service: ServiceDep, settings: Annotated[Settings, Depends(get_settings)]) -> dict:
    """Write a checked upload into the graph (in one transaction)."""
    _expire_pending(settings)
    with _pending_lock:
        pending = _pending.pop(import_id, None)
    if pending is None:
        raise NotFound(f"no upload {import_id!r} waiting for confirmation; upload the files again")
    folder, saved = pending
    try:
        report = _run(service, saved["paths"], saved["names"], saved["options"], dry_run=False,
                      lang=saved.get("lang", "en"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {"id": import_id, "report": report}


class UndoneOut(BaseModel):
    undone: dict[str, Any] = Field(description="The import undone: id, at, files, counts before and after it.")
    counts: dict[str, int] = Field(description="The store's counts now (those before the import).")


@router.get("/history", response_model=list[dict[str, Any]])
def history(service: ServiceDep) -> list[dict[str, Any]]:
    """The imports that can be undone, oldest first (``graphsvc imports --json``)."""
    return service.store.list_imports()


@router.post("/undo", response_model=UndoneOut)
def undo(service: ServiceDep, force: bool = False) -> dict:
    """Put the store back as it was before the newest import (the import page's Fortryd);
    refused when the store changed after it, unless ``force``."""
    entry = service.store.undo_import(force=force)
    service.warm_in_background()
    return {"undone": entry, "counts": service.store.counts()}

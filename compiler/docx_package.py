"""A .docx (a zip package) written from a prepared one: the parts that do not change are copied
as they are stored, still compressed, and only the changed parts are compressed again.

Recompressing the prepared base's styles (about 800 kB of XML) took most of the time of writing a
report; copying them costs a memory copy. The zip written is the plain kind every Office program and
zipfile read: deflate or stored entries, sizes in the local headers, no data descriptors, no zip64."""

from __future__ import annotations

import io
import struct
import time
import zipfile
import zlib

from .record import record

_LOCAL = struct.Struct("<4sHHHHHIIIHH")  # local file header (APPNOTE 4.3.7)
_CENTRAL = struct.Struct("<4sHHHHHHIIIHHHHHII")  # central directory header (4.3.12)
_END = struct.Struct("<4sHHHHIIH")  # end of central directory record (4.3.16)
_VERSION = 20  # 2.0: deflate
_UTF8_NAME = 0x800
_LIMIT = 0xFFFFFFFF  # sizes and offsets beyond this need zip64: never so for a report


class DamagedPackage(ValueError):
    """A prepared package that cannot be read as one (a damaged file in the cache folder)."""


@record(frozen=True)
class Entry:
    name: str
    method: int  # zipfile.ZIP_DEFLATED or ZIP_STORED
    crc: int
    size: int  # uncompressed
    raw: bytes  # as stored in the zip


def deflated(name: str, data: bytes) -> Entry:
    """A part compressed as zipfile's ZIP_DEFLATED does (zlib's default level, raw deflate)."""
    packer = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return Entry(name, zipfile.ZIP_DEFLATED, zlib.crc32(data), len(data), packer.compress(data) + packer.flush())


def read_entries(data: bytes, wanted: tuple[str, ...]) -> tuple[list[Entry], dict[str, bytes]]:
    """The entries of the zip `data` in their order, as stored, and the contents of the `wanted`
    ones. Every entry is decompressed once and checked against its CRC: DamagedPackage if any is wrong."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            entries, contents = [], {}
            for info in zf.infolist():
                if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                    raise DamagedPackage(f"{info.filename}: encrypted or compressed in an unexpected way")
                content = zf.read(info)  # checks the CRC
                if info.filename in wanted:
                    contents[info.filename] = content
                entries.append(Entry(info.filename, info.compress_type, info.CRC, info.file_size, _raw(data, info)))
    except (zipfile.BadZipFile, zlib.error, EOFError, struct.error, KeyError) as exc:
        raise DamagedPackage(str(exc)) from None
    missing = [name for name in wanted if name not in contents]
    if missing:
        raise DamagedPackage(f"no {', '.join(missing)}")
    return entries, contents


def _raw(data: bytes, info: zipfile.ZipInfo) -> bytes:
    signature, *_, name_len, extra_len = _LOCAL.unpack_from(data, info.header_offset)
    if signature != b"PK\x03\x04":
        raise DamagedPackage(f"{info.filename}: no local header")
    start = info.header_offset + _LOCAL.size + name_len + extra_len
    raw = data[start: start + info.compress_size]
    if len(raw) != info.compress_size:
        raise DamagedPackage(f"{info.filename}: cut short")
    return raw


def dos_time(epoch: int | None) -> tuple[int, int]:
    """(time, date) of a zip entry: the moment `epoch` in UTC (SOURCE_DATE_EPOCH: the same bytes on
    every machine), or now in local time as zipfile writes it; 1980-01-01 at the earliest."""
    t = time.gmtime(epoch) if epoch is not None else time.localtime()
    if t.tm_year < 1980:
        return 0, (1 << 5) | 1
    return (t.tm_hour << 11) | (t.tm_min << 5) | (t.tm_sec // 2), ((t.tm_year - 1980) << 9) | (t.tm_mon << 5) | t.tm_mday


def write_zip(entries: list[Entry], epoch: int | None = None) -> bytes:
    """The zip of `entries` in their order, each entry dated as dos_time(epoch)."""
    stamp, date = dos_time(epoch)
    out, central = bytearray(), bytearray()
    for entry in entries:
        name = entry.name.encode("utf-8")
        flags = 0 if name.isascii() else _UTF8_NAME
        offset = len(out)
        if max(offset, entry.size, len(entry.raw)) >= _LIMIT:
            raise ValueError("report.docx would need zip64")
        fields = (entry.method, stamp, date, entry.crc, len(entry.raw), entry.size, len(name))
        out += _LOCAL.pack(b"PK\x03\x04", _VERSION, flags, *fields, 0)
        out += name
        out += entry.raw
        central += _CENTRAL.pack(b"PK\x01\x02", _VERSION, _VERSION, flags, *fields, 0, 0, 0, 0, 0, offset)
        central += name
    if len(entries) > 0xFFFF or len(out) >= _LIMIT:
        raise ValueError("report.docx would need zip64")
    end = _END.pack(b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), len(out), 0)
    return bytes(out + central + end)

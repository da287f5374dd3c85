"""decode.py: every encoding the web serves Chinese in, and what is not text."""

import codecs

import pytest

from build_tools.decode import DecodeError, decode

SIMPLIFIED = "工会工作新局面，维护职工合法权益。职工之家建设取得新进展。"
TRADITIONAL = "工會工作新局面，維護職工合法權益。職工之家建設取得新進展。"


@pytest.mark.parametrize(
    ("text", "encoding", "prefix", "expected"),
    [
        (SIMPLIFIED, "utf-8", b"", "utf-8"),
        (SIMPLIFIED, "utf-8", codecs.BOM_UTF8, "utf-8"),
        (SIMPLIFIED, "gbk", b"", "gb18030"),
        (SIMPLIFIED, "gb18030", b"", "gb18030"),
        (TRADITIONAL, "big5", b"", "big5"),
        (TRADITIONAL, "utf-16-le", codecs.BOM_UTF16_LE, "utf-16-le"),
        (SIMPLIFIED, "utf-16-be", codecs.BOM_UTF16_BE, "utf-16-be"),
    ],
)
def test_each_encoding_decodes_to_the_same_text(text, encoding, prefix, expected):
    decoded, found = decode(prefix + text.encode(encoding))
    assert decoded == text
    assert found == expected


def test_crlf_and_cr_become_newlines():
    assert decode("第一行\r\n第二行\r第三行".encode())[0] == "第一行\n第二行\n第三行"


def test_nul_and_control_characters_are_dropped():
    assert decode(b"\xe5\xb7\xa5\x00\xe4\xbc\x9a\x07\x1b\xe5\xb7\xa5\xe4\xbd\x9c")[0] == "工会工作"


def test_ideographic_space_and_nbsp_become_plain_spaces():
    assert decode("\u3000\u3000工会\u00a0工作".encode())[0] == "    工会 工作"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \r\n\t\n", "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "binary data"),
        (bytes(range(1, 32)) * 50, "no text"),
    ],
)
def test_unusable_bytes_are_refused_with_a_reason(data, reason):
    with pytest.raises(DecodeError, match=reason):
        decode(data)


def test_a_utf8_file_with_one_gbk_line_keeps_both():
    data = (
        "第一行是UTF-8的工会工作。\n第二行也是。\n".encode()
        + "这一行是GBK编码的职工之家。".encode("gbk")
        + "\n第四行又是UTF-8。\n".encode()
    )
    text, encoding = decode(data)
    assert text == "第一行是UTF-8的工会工作。\n第二行也是。\n这一行是GBK编码的职工之家。\n第四行又是UTF-8。\n"
    assert encoding == "utf-8+gb18030"

"""Realistic sources for `import`: chat exports as the common WeChat/QQ export tools write
them (CSV, HTML, TXT) and Cellebrite UFDR reports (a zip of report.xml and the files)."""

from __future__ import annotations

import hashlib
import html
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from PIL import Image

CHAT = [
    # (StrTime, CreateTime, IsSender, Sender, StrContent, attachment)
    (
        "2024-03-01 10:00:00",
        1709258400,
        0,
        "阳光总在风雨后",
        "陈姐您好，我是明远老师",
        "",
    ),
    ("2024-03-01 10:01:30", 1709258490, 1, "陈某", "你好，真的能赚钱吗？", ""),
    ("2024-03-01 10:03:00", 1709258580, 0, "阳光总在风雨后", "[图片]", "images/收益 截图.jpg"),
    ("2024-03-01 10:05:12", 1709258712, 0, "阳光总在风雨后", "[语音]", "voice/msg 1.amr"),
    ("2024-03-01 10:06:00", 1709258760, 1, "陈某", '好的，我转 "5,000" 元\n明天再说', ""),
]
"""A conversation: a picture, a voice message, a quote, a comma and a line break."""


def picture(path: Path, colour: str = "red") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    exif = Image.Exif()
    exif[0x010F] = "HUAWEI"  # Make: the sender's phone, never the seized medium
    exif[0x0110] = "P40"  # Model
    Image.new("RGB", (32, 24), colour).save(path, exif=exif)
    return path


def attachments(folder: Path) -> None:
    picture(folder / "images" / "收益 截图.jpg")
    (folder / "voice").mkdir(parents=True, exist_ok=True)
    (folder / "voice" / "msg 1.amr").write_bytes(b"#!AMR\n" + bytes(range(64)))


def wechat_csv(folder: Path, encoding: str = "utf-8-sig", name: str = "聊天记录 陈某.csv") -> Path:
    """A CSV as the WeChat export tools write it (localId … StrContent, StrTime, NickName)."""
    folder.mkdir(parents=True, exist_ok=True)
    attachments(folder)
    header = "localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,"
    header += "Remark,NickName,Sender,talker,MsgPath"
    lines = [header]
    for n, (time, epoch, mine, sender, text, attachment) in enumerate(CHAT, 1):
        kind = 3 if attachment.endswith(".jpg") else 34 if attachment else 1
        quoted = '"' + text.replace('"', '""') + '"'
        lines.append(
            f"{n},1,{kind},0,{mine},{epoch},2,{quoted},{time},陈姐,{sender},{sender},"
            f"wxid_chen001,{attachment}"
        )
    path = folder / name
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def wechat_html(folder: Path, name: str = "聊天记录 陈某.html") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    attachments(folder)
    blocks = []
    for time, _, mine, sender, text, attachment in CHAT:
        side = "right" if mine else "left"
        if attachment.endswith(".jpg"):
            body = f'<img class="chat-image" src="{html.escape(attachment)}" alt="图片">'
        elif attachment:
            body = f'<audio controls src="{html.escape(attachment)}"></audio>'
        else:
            body = html.escape(text).replace("\n", "<br/>")
        blocks.append(
            f'<div class="message {side}">\n'
            f'  <div class="time">{time}</div>\n'
            f'  <div class="avatar"><img src="avatar/{side}.png"></div>\n'
            f'  <div class="nickname">{html.escape(sender)}</div>\n'
            f'  <div class="content">{body}</div>\n'
            "</div>"
        )
    page = (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>与陈姐的聊天记录</title>'
        '<style>.message{margin:4px}</style></head>\n<body>\n<div class="title">陈姐</div>\n'
        + "\n".join(blocks)
        + "\n<script>var x = '<div class=\"message\">';</script>\n</body></html>\n"
    )
    path = folder / name
    path.write_text(page, "utf-8")
    return path


def wechat_txt(folder: Path, name: str = "聊天记录 陈某.txt", encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    attachments(folder)
    lines = []
    for time, _, _, sender, text, attachment in CHAT:
        lines.append(f"{time} {sender}")
        if attachment:
            kind = "图片" if attachment.endswith(".jpg") else "语音"
            lines.append(f"[{kind}] {attachment}")
        else:
            lines += text.split("\n")
        lines.append("")
    path = folder / name
    path.write_bytes("\r\n".join(lines).encode(encoding))
    return path


# --- UFDR ----------------------------------------------------------------------------------


@dataclass
class UfdrFile:
    id: str
    device_path: str
    local_path: str
    data: bytes
    md5: str = ""
    sha256: str = ""
    created: str = "2024-02-28T09:15:00.000+08:00"
    modified: str = "2024-02-28T09:16:30.000+08:00"
    accessed: str = "2024-03-04T20:00:00.000+08:00"

    def __post_init__(self) -> None:
        self.md5 = self.md5 or hashlib.md5(self.data).hexdigest()
        self.sha256 = self.sha256 or hashlib.sha256(self.data).hexdigest()


@dataclass
class Ufdr:
    """The parts of a UFDR report this project reads, with realistic values."""

    files: list[UfdrFile] = field(default_factory=list)
    examiner: str = "侦查员甲"
    make: str = "Apple"
    model: str = "iPhone 13 (A2634)"
    imei: str = "356789101234567"
    serial: str = "F2LXK0ABCDEF"
    os: str = "iOS 17.3.1"
    tool: str = "UFED 4PC"
    version: str = "7.69.0.42"
    start: str = "2024/03/05 14:30:00(UTC+8)"
    end: str = "2024/03/05 16:02:11(UTC+8)"
    extraction_type: str = "Advanced Logical"

    def __post_init__(self) -> None:
        if not self.files:
            image = _jpeg()
            self.files = [
                UfdrFile(
                    "f-0001",
                    "/private/var/mobile/Media/DCIM/100APPLE/IMG_0001.JPG",
                    "files/Image/IMG_0001.JPG",
                    image,
                ),
                UfdrFile(
                    "f-0002",
                    "/private/var/mobile/Containers/Data/Application/wechat/转账 凭证.jpg",
                    "files/Image/转账 凭证.jpg",
                    _jpeg("blue"),
                ),
            ]

    def report_xml(self) -> str:
        files = "\n".join(self._file(f) for f in self.files)
        return f"""<?xml version="1.0" encoding="utf-8"?>
<project id="7d0d8d8e-1111-4a4a-9b9b-000000000001" name="张某 iPhone" reportVersion="7.69.0.42"
 licenseID="0" containsGarbage="False" extractionType="AdvancedLogical"
 xmlns="http://pa.cellebrite.com/report/2.0">
  <sourceExtractions>
    <extractionInfo id="0" name="{escape(self.extraction_type)}" isCustomName="False"
     type="{escape(self.extraction_type)}" deviceName="{escape(self.model)}" index="0"/>
  </sourceExtractions>
  <caseInformation>
    <field name="Case Number" isSystem="True" isRequired="False" fieldType="CaseNumber"
     multipleLines="False">某公(刑)字〔2024〕001号</field>
    <field name="Examiner Name" isSystem="True" isRequired="False" fieldType="ExaminerName"
     multipleLines="False">{escape(self.examiner)}</field>
  </caseInformation>
  <metadata section="Additional Fields">
    <item name="UFED_PA_Version"><![CDATA[7.69.0.42]]></item>
  </metadata>
  <metadata section="Extraction Data">
    <item name="DeviceInfoExtractionStartDateTime"><![CDATA[{self.start}]]></item>
    <item name="DeviceInfoExtractionEndDateTime" sourceExtraction="0"><![CDATA[{self.end}]]></item>
    <item name="DeviceInfoUnitIdentifier" sourceExtraction="0"><![CDATA[{self.tool}]]></item>
    <item name="DeviceInfoUnitVersion" sourceExtraction="0"><![CDATA[{self.version}]]></item>
    <item name="DeviceInfoSelectedManufacturer" sourceExtraction="0"><![CDATA[Apple]]></item>
    <item name="DeviceInfoSelectedDeviceName" sourceExtraction="0"><![CDATA[iPhone]]></item>
    <item name="DeviceInfoConnectionType" sourceExtraction="0"><![CDATA[Cable No. 210]]></item>
  </metadata>
  <metadata section="Device Info">
    <item name="DeviceInfoDetectedManufacturer" sourceExtraction="0"><![CDATA[{self.make}]]></item>
    <item name="DeviceInfoDetectedModel" sourceExtraction="0"><![CDATA[{self.model}]]></item>
    <item name="DeviceInfoOSVersion" sourceExtraction="0"><![CDATA[{self.os}]]></item>
    <item name="IMEI" sourceExtraction="0"><![CDATA[{self.imei}]]></item>
    <item name="Serial" sourceExtraction="0"><![CDATA[{self.serial}]]></item>
  </metadata>
  <taggedFiles>
{files}
  </taggedFiles>
  <decodedData>
    <modelType type="Chat">
{self._chat()}
    </modelType>
    <modelType type="Call">
{self._call("Outgoing", "Established", "2024-03-01T11:00:05.000+08:00", "00:03:12")}
{self._call("Incoming", "Missed", "2024-03-02T08:30:00.000+08:00", "00:00:00")}
    </modelType>
    <modelType type="Contact">
{self._contact("陈姐", "+86 138 0013 8000")}
{self._contact("李经理", "13900139000")}
    </modelType>
  </decodedData>
</project>
"""

    def _file(self, f: UfdrFile) -> str:
        return f"""    <file fs="Apple" fsid="fs-1" path={quoteattr(f.device_path)}
     size="{len(f.data)}" id="{f.id}" extractionId="0" deleted="Intact" embedded="false">
      <accessInfo>
        <timestamp name="CreationTime" format="TimeStampKnown">{f.created}</timestamp>
        <timestamp name="ModifyTime" format="TimeStampKnown">{f.modified}</timestamp>
        <timestamp name="AccessTime" format="TimeStampKnown">{f.accessed}</timestamp>
      </accessInfo>
      <metadata section="File">
        <item name="Local Path"><![CDATA[{f.local_path.replace("/", chr(92))}]]></item>
        <item name="SHA256"><![CDATA[{f.sha256.upper()}]]></item>
        <item name="MD5"><![CDATA[{f.md5}]]></item>
        <item name="Tags"><![CDATA[Image]]></item>
      </metadata>
    </file>"""

    def _chat(self) -> str:
        def party(name: str, ident: str) -> str:
            return (
                f'<model type="Party" id="p-{ident}" deleted_state="Intact">'
                f'<field name="Identifier" type="String"><value type="String">{escape(ident)}'
                f'</value></field><field name="Name" type="String"><value type="String">'
                f"{escape(name)}</value></field></model>"
            )

        messages = []
        for n, (time, _, mine, sender, text, attachment) in enumerate(CHAT, 1):
            ident = "wxid_self" if mine else "wxid_zhang"
            stamp = time.replace(" ", "T") + ".000+08:00"
            extra = ""
            if attachment.endswith(".jpg"):
                extra = (
                    '<multiModelField name="Attachments"><model type="Attachment" '
                    'id="a-1"><field name="Filename" type="String"><value type="String">'
                    '转账 凭证.jpg</value></field><jumptargets><targetid ismodel="false">'
                    "f-0002</targetid></jumptargets></model></multiModelField>"
                )
            body = "" if attachment else text
            messages.append(
                f'<model type="InstantMessage" id="m-{n}" deleted_state="Intact">'
                f'<field name="TimeStamp" type="TimeStamp"><value type="TimeStamp">{stamp}'
                f'</value></field><modelField name="From" type="Party">{party(sender, ident)}'
                f'</modelField><field name="Body" type="String"><value type="String">'
                f"<![CDATA[{body}]]></value></field>{extra}</model>"
            )
        return (
            '      <model type="Chat" id="c-1" deleted_state="Intact">'
            '<field name="Source" type="String"><value type="String">WeChat</value></field>'
            '<field name="Name" type="String"><value type="String">陈姐</value></field>'
            '<multiModelField name="Participants">'
            + party("阳光总在风雨后", "wxid_zhang")
            + party("陈某", "wxid_self")
            + '</multiModelField><multiModelField name="Messages">'
            + "".join(messages)
            + "</multiModelField></model>"
        )

    def _call(self, direction: str, status: str, time: str, duration: str) -> str:
        return (
            '      <model type="Call" deleted_state="Intact">'
            '<field name="Source" type="String"><value type="String">Phone</value></field>'
            f'<field name="Direction" type="String"><value type="String">{direction}</value>'
            f'</field><field name="Status" type="String"><value type="String">{status}</value>'
            f'</field><field name="TimeStamp" type="TimeStamp"><value type="TimeStamp">{time}'
            f'</value></field><field name="Duration" type="TimeSpan"><value type="TimeSpan">'
            f'{duration}</value></field><multiModelField name="Parties"><model type="Party">'
            '<field name="Identifier" type="String"><value type="String">13800138000</value>'
            '</field><field name="Name" type="String"><value type="String">陈姐</value></field>'
            '<field name="IsPhoneOwner" type="Boolean"><value type="Boolean">False</value>'
            "</field></model></multiModelField></model>"
        )

    def _contact(self, name: str, number: str) -> str:
        return (
            '      <model type="Contact" deleted_state="Intact">'
            f'<field name="Name" type="String"><value type="String">{escape(name)}</value>'
            '</field><field name="Source" type="String"><value type="String">Phone</value>'
            '</field><multiModelField name="Entries"><model type="PhoneNumber">'
            '<field name="Category" type="String"><value type="String">Mobile</value></field>'
            f'<field name="Value" type="String"><value type="String">{escape(number)}</value>'
            "</field></model></multiModelField></model>"
        )

    def write(self, path: Path, report: str | None = None) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("report.xml", report if report is not None else self.report_xml())
            for f in self.files:
                archive.writestr(f.local_path, f.data)
        return path


def _jpeg(colour: str = "green") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "JPEG")
    return out.getvalue()


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<project><metadata section="Extraction Data"><item name="x">&lol3;</item></metadata></project>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE project [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<project><metadata section="Extraction Data"><item name="x">&secret;</item></metadata></project>
"""

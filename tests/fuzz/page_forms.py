"""The forms of a page as a browser sees them: every named control (hidden inputs and buttons included) and what
the browser would send for it untouched. The fuzz test posts to exactly these names."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class PageForm:
    method: str
    action: str
    id: str
    names: list[str] = field(default_factory=list)  # every named control, once, in page order
    buttons: list[str] = field(default_factory=list)  # named submit buttons (sent only when pressed)
    values: dict[str, list[str]] = field(default_factory=dict)  # what the untouched form sends

    def add(self, name: str, value: str | None, sends: bool):
        if name not in self.names:
            self.names.append(name)
        if sends:
            self.values.setdefault(name, []).append(value or "")


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[PageForm] = []
        self.current: PageForm | None = None
        self.select: str | None = None
        self.select_value: str | None = None
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.current = PageForm(a.get("method", "get").lower(), a.get("action") or "", a.get("id") or "")
            self.forms.append(self.current)
            return
        form = self.current
        if form is None or not a.get("name"):
            if tag == "option" and self.select and (self.select_value is None or "selected" in a):
                self.select_value = a.get("value", "")
            return
        name = a["name"]
        kind = a.get("type", "text" if tag == "input" else "submit" if tag == "button" else "").lower()
        if tag == "button" or kind == "submit":
            form.add(name, a.get("value"), sends=False)
            form.buttons.append(name)
        elif kind in {"radio", "checkbox"}:
            form.add(name, a.get("value", "on"), sends="checked" in a)
        elif tag == "select":
            self.select, self.select_value = name, None
            form.add(name, None, sends=False)
        elif tag == "textarea":
            self.textarea, self.text = name, ""
            form.add(name, None, sends=False)
        else:
            form.add(name, a.get("value", ""), sends=True)

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select" and self.select and self.current:
            self.current.values.setdefault(self.select, []).append(self.select_value or "")
            self.select = None
        elif tag == "textarea" and self.textarea and self.current:
            self.current.values.setdefault(self.textarea, []).append(self.text.lstrip("\n"))
            self.textarea = None


def forms_of(html: str) -> list[PageForm]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms

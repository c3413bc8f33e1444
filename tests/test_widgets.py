import pytest
from django import forms

from core.widgets import FastSelect, FastTextarea, FastTextInput


class Choices(forms.Form):
    pick = forms.ChoiceField(choices=[("", "Vel"), ("a", "<b>A & B</b>"), ("b", "B")], required=False)
    fast = forms.ChoiceField(
        choices=[("", "Vel"), ("a", "<b>A & B</b>"), ("b", "B")], required=False, widget=FastSelect
    )


def normalise(html: str) -> str:
    return "".join(html.split())


def test_fast_select_renders_what_djangos_select_renders():
    form = Choices(initial={"pick": "a", "fast": "a"})
    django_html = form["pick"].as_widget().replace('name="pick"', 'name="X"').replace('id="id_pick"', 'id="id_X"')
    fast_html = form["fast"].as_widget().replace('name="fast"', 'name="X"').replace('id="id_fast"', 'id="id_X"')
    assert normalise(fast_html) == normalise(django_html)
    assert "&lt;b&gt;A &amp; B&lt;/b&gt;" in fast_html


class Texts(forms.Form):
    area = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    fast_area = forms.CharField(widget=FastTextarea(attrs={"rows": 3}), required=False)
    line = forms.CharField(max_length=30, required=False)
    fast_line = forms.CharField(max_length=30, widget=FastTextInput, required=False)
    number = forms.DecimalField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), required=False)
    fast_number = forms.DecimalField(widget=FastTextInput(attrs={"inputmode": "decimal"}), required=False)


@pytest.mark.parametrize("plain,fast", [("area", "fast_area"), ("line", "fast_line"), ("number", "fast_number")])
@pytest.mark.parametrize("value", ["", 'Tekst <b>&</b> "sitat"\nlinje to', None, "4,5"])
def test_fast_text_widgets_render_what_djangos_render(plain, fast, value):
    data = None if value is None else {plain: value, fast: value}
    form = Texts(data)
    django_html = form[plain].as_widget().replace(f'"{plain}"', '"X"').replace(f"id_{plain}", "id_X")
    fast_html = form[fast].as_widget().replace(f'"{fast}"', '"X"').replace(f"id_{fast}", "id_X")
    assert normalise(fast_html) == normalise(django_html)

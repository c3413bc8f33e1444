from django import forms

from core.widgets import FastSelect


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

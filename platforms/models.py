import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# An SVG path's `d` attribute and nothing else: commands, numbers, separators.
ICON_PATH = re.compile(r"[MmZzLlHhVvCcSsQqTtAaEe0-9+\-., ]*")
ICON_MAX_LENGTH = 10_000


def validate_icon_path(value: str) -> None:
    if len(value) > ICON_MAX_LENGTH or not ICON_PATH.fullmatch(value):
        raise ValidationError(
            _(
                "An icon is the path data of an SVG drawing: only path commands, numbers, signs, dots, commas and spaces."
            ),
            code="invalid_icon",
        )


class PlatformQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Platform(models.Model):
    """A social media platform in the catalogue that administrators keep.

    `url_rules` says how the platform's profile addresses look, so that any pasted form of an
    address can be read as one canonical address and handle (see `platforms.profiles`). It is a
    JSON object; every key is optional except that it needs `hosts` or `any_host`, and `paths`:

    - `hosts`: a regular expression matched against the whole host name of an address, in lower
      case and without a trailing dot. It lists the sub-domains it accepts (`www.`, `m.`, locale
      sub-domains such as `nb-no.`).
    - `any_host`: true when profiles live on any server (Mastodon). Such a platform is tried only
      for hosts no other platform claims, and only its `paths` are used.
    - `excluded_hosts`: with `any_host`, a regular expression for hosts that are known not to be
      the platform although their addresses look alike.
    - `link_hosts`: host name → kind, for the platform's own hosts whose links never lead to a
      profile (a video short link, a share link).
    - `locale_prefix`: a regular expression for a first path segment that only picks a
      language; it is dropped.
    - `reserved`: first path segment → kind, for the platform's pages that are not profiles.
    - `other_pages`: a list of `{"path": regex, "kind": kind}` for other paths that are not
      profiles (the regex is matched against the whole path).
    - `paths`: the profile addresses, tried in order. Each is an object with
        - `path`: a regular expression matched against the start of the path, which is given
          without leading or trailing slashes, decoded, and with the ASCII letters in lower case
          (so write the expression in lower case). It must have a named group `handle`, which may
          instead sit in one of the `query` expressions;
        - `query` (optional): query parameter → regular expression its whole value must match;
        - `url`: the canonical address, a template that uses `{handle}` and may use the pattern's
          other named groups and `{host}`, the address's host;
        - `case`: `"ignore"` (the default: ASCII letters in the handle are lower-cased),
          `"keep"` (the handle is case-sensitive, as YouTube channel ids) or `"upper"` (case is
          ignored and the handle is written in capitals, as Flickr's numeric ids);
        - `drop` (optional): characters that do not count in the handle and are removed
          (Facebook ignores full stops in user names);
        - `follow` (optional): true when the address built is to be read again, because it may
          belong to another platform (a Mastodon server showing another server's account).
    - `tabs`: path segments that may follow a profile's address and still show the profile
      (`videos`, `about`). Anything else after a profile is a post or another page under it.
    - `handles`: how a bare handle becomes an address, tried in order. Each is an object with
      `pattern` (a regular expression matched against the whole handle, without a leading @ and
      with ASCII letters in lower case), `url` (a template using the pattern's named groups) and
      `alone` (true when the form names the platform without it being chosen, as
      `@name@server` does for Mastodon). The address built is read as any pasted address is.
    - `display`: how the handle is shown, a template using `{handle}`, `{host}` and the path
      pattern's named groups; `{handle}` by default (Mastodon: `{handle}@{host}`).
    - `example`: a profile address to show people who paste something else.

    A kind is one of `post`, `video`, `search`, `hashtag`, `settings`, `login`, `share`,
    `group`, `event`, `help` and `other`; each has its own message.
    """

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("short name"), max_length=40, unique=True)
    profile_url_pattern = models.CharField(
        _("profile URL pattern"),
        max_length=200,
        help_text=_("How a profile address looks, e.g. https://www.instagram.com/{handle}/"),
    )
    icon = models.TextField(
        _("icon"),
        blank=True,
        validators=[validate_icon_path],
        help_text=_("The path data (the “d” attribute) of a one-colour SVG icon drawn on a 24 × 24 grid."),
    )
    url_rules = models.JSONField(
        _("profile address rules"),
        default=dict,
        blank=True,
        help_text=_("How the platform's profile addresses look; the model's documentation describes the keys."),
    )
    is_active = models.BooleanField(_("can be chosen in new plans"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=100)
    # Changes on every save, so the cached catalogue (profiles.catalogue) knows to reload.
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlatformQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")

    def __str__(self):
        return self.name

    def clean(self):
        from .profiles import rule_problems

        problems = rule_problems(self.url_rules)
        if problems:
            raise ValidationError({"url_rules": problems})

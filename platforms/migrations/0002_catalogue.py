from django.db import migrations

CATALOGUE = [
    ("Facebook", "facebook", "https://www.facebook.com/{handle}"),
    ("Instagram", "instagram", "https://www.instagram.com/{handle}/"),
    ("LinkedIn", "linkedin", "https://www.linkedin.com/company/{handle}/"),
    ("X (Twitter)", "x", "https://x.com/{handle}"),
    ("YouTube", "youtube", "https://www.youtube.com/@{handle}"),
    ("TikTok", "tiktok", "https://www.tiktok.com/@{handle}"),
    ("Snapchat", "snapchat", "https://www.snapchat.com/add/{handle}"),
    ("Threads", "threads", "https://www.threads.net/@{handle}"),
    ("Bluesky", "bluesky", "https://bsky.app/profile/{handle}"),
    ("Mastodon", "mastodon", "https://{server}/@{handle}"),
    ("Vimeo", "vimeo", "https://vimeo.com/{handle}"),
    ("Flickr", "flickr", "https://www.flickr.com/photos/{handle}/"),
    ("Pinterest", "pinterest", "https://www.pinterest.com/{handle}/"),
]


def load(apps, schema_editor):
    Platform = apps.get_model("platforms", "Platform")
    for position, (name, slug, pattern) in enumerate(CATALOGUE, start=1):
        Platform.objects.update_or_create(
            slug=slug, defaults={"name": name, "profile_url_pattern": pattern, "position": position * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("platforms", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

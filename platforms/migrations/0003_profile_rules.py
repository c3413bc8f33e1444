"""The profile-address rules and icons of the catalogue's platforms.

The rules are described on `Platform`; `platforms.profiles` applies them."""

import platforms.models
from django.db import migrations, models

# Icons: path data from simple-icons 16.37.0 (https://simpleicons.org), CC0 1.0.

ICONS = {
    "facebook": (
        "M9.101 23.691v-7.98H6.627v-3.667h2.474v-1.58c0-4.085 1.848-5.978 5.858-5.978.401 0 .955.042 1.468.10"
        "3a8.68 8.68 0 0 1 1.141.195v3.325a8.623 8.623 0 0 0-.653-.036 26.805 26.805 0 0 0-.733-.009c-.707 0-"
        "1.259.096-1.675.309a1.686 1.686 0 0 0-.679.622c-.258.42-.374.995-.374 1.752v1.297h3.919l-.386 2.103-"
        ".287 1.564h-3.246v8.245C19.396 23.238 24 18.179 24 12.044c0-6.627-5.373-12-12-12s-12 5.373-12 12c0 5"
        ".628 3.874 10.35 9.101 11.647Z"
    ),
    "instagram": (
        "M7.0301.084c-1.2768.0602-2.1487.264-2.911.5634-.7888.3075-1.4575.72-2.1228 1.3877-.6652.6677-1.075 1"
        ".3368-1.3802 2.127-.2954.7638-.4956 1.6365-.552 2.914-.0564 1.2775-.0689 1.6882-.0626 4.947.0062 3.2"
        "586.0206 3.6671.0825 4.9473.061 1.2765.264 2.1482.5635 2.9107.308.7889.72 1.4573 1.388 2.1228.6679.6"
        "655 1.3365 1.0743 2.1285 1.38.7632.295 1.6361.4961 2.9134.552 1.2773.056 1.6884.069 4.9462.0627 3.25"
        "78-.0062 3.668-.0207 4.9478-.0814 1.28-.0607 2.147-.2652 2.9098-.5633.7889-.3086 1.4578-.72 2.1228-1"
        ".3881.665-.6682 1.0745-1.3378 1.3795-2.1284.2957-.7632.4966-1.636.552-2.9124.056-1.2809.0692-1.6898."
        "063-4.948-.0063-3.2583-.021-3.6668-.0817-4.9465-.0607-1.2797-.264-2.1487-.5633-2.9117-.3084-.7889-.7"
        "2-1.4568-1.3876-2.1228C21.2982 1.33 20.628.9208 19.8378.6165 19.074.321 18.2017.1197 16.9244.0645 15"
        ".6471.0093 15.236-.005 11.977.0014 8.718.0076 8.31.0215 7.0301.0839m.1402 21.6932c-1.17-.0509-1.8053"
        "-.2453-2.2287-.408-.5606-.216-.96-.4771-1.3819-.895-.422-.4178-.6811-.8186-.9-1.378-.1644-.4234-.362"
        "4-1.058-.4171-2.228-.0595-1.2645-.072-1.6442-.079-4.848-.007-3.2037.0053-3.583.0607-4.848.05-1.169.2"
        "456-1.805.408-2.2282.216-.5613.4762-.96.895-1.3816.4188-.4217.8184-.6814 1.3783-.9003.423-.1651 1.05"
        "75-.3614 2.227-.4171 1.2655-.06 1.6447-.072 4.848-.079 3.2033-.007 3.5835.005 4.8495.0608 1.169.0508"
        " 1.8053.2445 2.228.408.5608.216.96.4754 1.3816.895.4217.4194.6816.8176.9005 1.3787.1653.4217.3617 1."
        "056.4169 2.2263.0602 1.2655.0739 1.645.0796 4.848.0058 3.203-.0055 3.5834-.061 4.848-.051 1.17-.245 "
        "1.8055-.408 2.2294-.216.5604-.4763.96-.8954 1.3814-.419.4215-.8181.6811-1.3783.9-.4224.1649-1.0577.3"
        "617-2.2262.4174-1.2656.0595-1.6448.072-4.8493.079-3.2045.007-3.5825-.006-4.848-.0608M16.953 5.5864A1"
        ".44 1.44 0 1 0 18.39 4.144a1.44 1.44 0 0 0-1.437 1.4424M5.8385 12.012c.0067 3.4032 2.7706 6.1557 6.1"
        "73 6.1493 3.4026-.0065 6.157-2.7701 6.1506-6.1733-.0065-3.4032-2.771-6.1565-6.174-6.1498-3.403.0067-"
        "6.156 2.771-6.1496 6.1738M8 12.0077a4 4 0 1 1 4.008 3.9921A3.9996 3.9996 0 0 1 8 12.0077"
    ),
    "x": (
        "M14.234 10.162 22.977 0h-2.072l-7.591 8.824L7.251 0H.258l9.168 13.343L.258 24H2.33l8.016-9.318L16.74"
        "9 24h6.993zm-2.837 3.299-.929-1.329L3.076 1.56h3.182l5.965 8.532.929 1.329 7.754 11.09h-3.182z"
    ),
    "youtube": (
        "M23.498 6.186a3.016 3.016 0 0 0-2.122-2.136C19.505 3.545 12 3.545 12 3.545s-7.505 0-9.377.505A3.017 "
        "3.017 0 0 0 .502 6.186C0 8.07 0 12 0 12s0 3.93.502 5.814a3.016 3.016 0 0 0 2.122 2.136c1.871.505 9.3"
        "76.505 9.376.505s7.505 0 9.377-.505a3.015 3.015 0 0 0 2.122-2.136C24 15.93 24 12 24 12s0-3.93-.502-5"
        ".814zM9.545 15.568V8.432L15.818 12l-6.273 3.568z"
    ),
    "tiktok": (
        "M12.525.02c1.31-.02 2.61-.01 3.91-.02.08 1.53.63 3.09 1.75 4.17 1.12 1.11 2.7 1.62 4.24 1.79v4.03c-1"
        ".44-.05-2.89-.35-4.2-.97-.57-.26-1.1-.59-1.62-.93-.01 2.92.01 5.84-.02 8.75-.08 1.4-.54 2.79-1.35 3."
        "94-1.31 1.92-3.58 3.17-5.91 3.21-1.43.08-2.86-.31-4.08-1.03-2.02-1.19-3.44-3.37-3.65-5.71-.02-.5-.03"
        "-1-.01-1.49.18-1.9 1.12-3.72 2.58-4.96 1.66-1.44 3.98-2.13 6.15-1.72.02 1.48-.04 2.96-.04 4.44-.99-."
        "32-2.15-.23-3.02.37-.63.41-1.11 1.04-1.36 1.75-.21.51-.15 1.07-.14 1.61.24 1.64 1.82 3.02 3.5 2.87 1"
        ".12-.01 2.19-.66 2.77-1.61.19-.33.4-.67.41-1.06.1-1.79.06-3.57.07-5.36.01-4.03-.01-8.05.02-12.07z"
    ),
    "snapchat": (
        "M12.206.793c.99 0 4.347.276 5.93 3.821.529 1.193.403 3.219.299 4.847l-.003.06c-.012.18-.022.345-.03."
        "51.075.045.203.09.401.09.3-.016.659-.12 1.033-.301.165-.088.344-.104.464-.104.182 0 .359.029.509.09."
        "45.149.734.479.734.838.015.449-.39.839-1.213 1.168-.089.029-.209.075-.344.119-.45.135-1.139.36-1.333"
        ".81-.09.224-.061.524.12.868l.015.015c.06.136 1.526 3.475 4.791 4.014.255.044.435.27.42.509 0 .075-.0"
        "15.149-.045.225-.24.569-1.273.988-3.146 1.271-.059.091-.12.375-.164.57-.029.179-.074.36-.134.553-.07"
        "6.271-.27.405-.555.405h-.03c-.135 0-.313-.031-.538-.074-.36-.075-.765-.135-1.273-.135-.3 0-.599.015-"
        ".913.074-.6.104-1.123.464-1.723.884-.853.599-1.826 1.288-3.294 1.288-.06 0-.119-.015-.18-.015h-.149c"
        "-1.468 0-2.427-.675-3.279-1.288-.599-.42-1.107-.779-1.707-.884-.314-.045-.629-.074-.928-.074-.54 0-."
        "958.089-1.272.149-.211.043-.391.074-.54.074-.374 0-.523-.224-.583-.42-.061-.192-.09-.389-.135-.567-."
        "046-.181-.105-.494-.166-.57-1.918-.222-2.95-.642-3.189-1.226-.031-.063-.052-.15-.055-.225-.015-.243."
        "165-.465.42-.509 3.264-.54 4.73-3.879 4.791-4.02l.016-.029c.18-.345.224-.645.119-.869-.195-.434-.884"
        "-.658-1.332-.809-.121-.029-.24-.074-.346-.119-1.107-.435-1.257-.93-1.197-1.273.09-.479.674-.793 1.16"
        "8-.793.146 0 .27.029.383.074.42.194.789.3 1.104.3.234 0 .384-.06.465-.105l-.046-.569c-.098-1.626-.22"
        "5-3.651.307-4.837C7.392 1.077 10.739.807 11.727.807l.419-.015h.06z"
    ),
    "threads": (
        "M18.263 11.097c-.03-3.486-1.92-5.586-5.111-5.586-2.13 0-3.922.963-4.863 2.499l2.062 1.438c.535-.843 "
        "1.272-1.543 2.628-1.543 1.528 0 2.318.85 2.544 2.431a15 15 0 0 0-2.236-.173c-4.125 0-6.068 1.867-6.0"
        "68 4.336s1.943 3.99 4.804 3.99c3.139 0 5.013-2.115 5.781-4.735.798.361 1.348 1.204 1.348 2.47 0 3.38"
        "7-3.907 5.232-7.22 5.232-4.885 0-8.077-3.207-8.077-8.424 0-6.392 4.223-10.487 9.9-10.487 3.808 0 5.6"
        "9 1.671 6.97 3.914l2.108-1.475C21.44 2.078 18.331 0 13.663 0 6.227 0 1.168 5.277 1.168 12.934c0 7 4."
        "953 11.066 10.856 11.066 4.878 0 9.809-2.846 9.809-7.716 0-2.545-1.46-4.231-3.569-5.187m-6.33 4.855c"
        "-1.077 0-2.026-.512-2.026-1.453 0-1.483 1.822-1.934 3.606-1.934.678 0 1.34.045 1.927.173-.422 1.927-"
        "1.671 3.215-3.508 3.214Z"
    ),
    "bluesky": (
        "M5.202 2.857C7.954 4.922 10.913 9.11 12 11.358c1.087-2.247 4.046-6.436 6.798-8.501C20.783 1.366 24 ."
        "213 24 3.883c0 .732-.42 6.156-.667 7.037-.856 3.061-3.978 3.842-6.755 3.37 4.854.826 6.089 3.562 3.4"
        "22 6.299-5.065 5.196-7.28-1.304-7.847-2.97-.104-.305-.152-.448-.153-.327 0-.121-.05.022-.153.327-.56"
        "8 1.666-2.782 8.166-7.847 2.97-2.667-2.737-1.432-5.473 3.422-6.3-2.777.473-5.899-.308-6.755-3.369C.4"
        "2 10.04 0 4.615 0 3.883c0-3.67 3.217-2.517 5.202-1.026"
    ),
    "mastodon": (
        "M23.268 5.313c-.35-2.578-2.617-4.61-5.304-5.004C17.51.242 15.792 0 11.813 0h-.03c-3.98 0-4.835.242-5"
        ".288.309C3.882.692 1.496 2.518.917 5.127.64 6.412.61 7.837.661 9.143c.074 1.874.088 3.745.26 5.611.1"
        "18 1.24.325 2.47.62 3.68.55 2.237 2.777 4.098 4.96 4.857 2.336.792 4.849.923 7.256.38.265-.061.527-."
        "132.786-.213.585-.184 1.27-.39 1.774-.753a.057.057 0 0 0 .023-.043v-1.809a.052.052 0 0 0-.02-.041.05"
        "3.053 0 0 0-.046-.01 20.282 20.282 0 0 1-4.709.545c-2.73 0-3.463-1.284-3.674-1.818a5.593 5.593 0 0 1"
        "-.319-1.433.053.053 0 0 1 .066-.054c1.517.363 3.072.546 4.632.546.376 0 .75 0 1.125-.01 1.57-.044 3."
        "224-.124 4.768-.422.038-.008.077-.015.11-.024 2.435-.464 4.753-1.92 4.989-5.604.008-.145.03-1.52.03-"
        "1.67.002-.512.167-3.63-.024-5.545zm-3.748 9.195h-2.561V8.29c0-1.309-.55-1.976-1.67-1.976-1.23 0-1.84"
        "6.79-1.846 2.35v3.403h-2.546V8.663c0-1.56-.617-2.35-1.848-2.35-1.112 0-1.668.668-1.67 1.977v6.218H4."
        "822V8.102c0-1.31.337-2.35 1.011-3.12.696-.77 1.608-1.164 2.74-1.164 1.311 0 2.302.5 2.962 1.498l.638"
        " 1.06.638-1.06c.66-.999 1.65-1.498 2.96-1.498 1.13 0 2.043.395 2.74 1.164.675.77 1.012 1.81 1.012 3."
        "12z"
    ),
    "vimeo": (
        "M23.9765 6.4168c-.105 2.338-1.739 5.5429-4.894 9.6088-3.2679 4.247-6.0258 6.3699-8.2898 6.3699-1.409"
        " 0-2.578-1.294-3.553-3.881l-1.9179-7.1138c-.719-2.584-1.488-3.878-2.312-3.878-.179 0-.806.378-1.8809"
        " 1.132l-1.129-1.457a315.06 315.06 0 003.501-3.1279c1.579-1.368 2.765-2.085 3.5539-2.159 1.867-.18 3."
        "016 1.1 3.447 3.838.465 2.953.789 4.789.971 5.5069.5389 2.45 1.1309 3.674 1.7759 3.674.502 0 1.256-."
        "796 2.265-2.385 1.004-1.589 1.54-2.797 1.612-3.628.144-1.371-.395-2.061-1.614-2.061-.574 0-1.167.121"
        "-1.777.391 1.186-3.8679 3.434-5.7568 6.7619-5.6368 2.4729.06 3.6279 1.664 3.4929 4.7969z"
    ),
    "flickr": (
        "M5.334 6.666C2.3884 6.666 0 9.055 0 12c0 2.9456 2.3884 5.334 5.334 5.334 2.9456 0 5.332-2.3884 5.332"
        "-5.334 0-2.945-2.3864-5.334-5.332-5.334zm13.332 0c-2.9456 0-5.332 2.389-5.332 5.334 0 2.9456 2.3864 "
        "5.334 5.332 5.334C21.6116 17.334 24 14.9456 24 12c0-2.945-2.3884-5.334-5.334-5.334Z"
    ),
    "pinterest": (
        "M12.017 0C5.396 0 .029 5.367.029 11.987c0 5.079 3.158 9.417 7.618 11.162-.105-.949-.199-2.403.041-3."
        "439.219-.937 1.406-5.957 1.406-5.957s-.359-.72-.359-1.781c0-1.663.967-2.911 2.168-2.911 1.024 0 1.51"
        "8.769 1.518 1.688 0 1.029-.653 2.567-.992 3.992-.285 1.193.6 2.165 1.775 2.165 2.128 0 3.768-2.245 3"
        ".768-5.487 0-2.861-2.063-4.869-5.008-4.869-3.41 0-5.409 2.562-5.409 5.199 0 1.033.394 2.143.889 2.74"
        "1.099.12.112.225.085.345-.09.375-.293 1.199-.334 1.363-.053.225-.172.271-.401.165-1.495-.69-2.433-2."
        "878-2.433-4.646 0-3.776 2.748-7.252 7.92-7.252 4.158 0 7.392 2.967 7.392 6.923 0 4.135-2.607 7.462-6"
        ".233 7.462-1.214 0-2.354-.629-2.758-1.379l-.749 2.848c-.269 1.045-1.004 2.352-1.498 3.146 1.123.345 "
        "2.306.535 3.55.535 6.607 0 11.985-5.365 11.985-11.987C23.97 5.39 18.592.026 11.985.026L12.017 0z"
    ),
    # A plain briefcase, drawn for the portal: simple-icons has no LinkedIn icon.
    "linkedin": "M9 2a2 2 0 0 0-2 2v2H4a2 2 0 0 0-2 2v11a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V8a2 2 0 0 0-2-2h-3V4a2 2 0 0 0-2-2H9zm0 2h6v2H9V4z",
}

# Sub-domains that only choose the mobile site or a language (m., mbasic., nb-no., no.).
LOCALE = r"[a-z]{2}(?:-[a-z]{2})?"

RULES = {
    "facebook": {
        "hosts": rf"(?:(?:www|m|mobile|mbasic|web|touch|free|{LOCALE})\.)?(?:facebook|fb)\.com",
        "link_hosts": {
            "fb.watch": "video",
            "www.fb.watch": "video",
            "l.facebook.com": "share",
            "lm.facebook.com": "share",
            "fb.me": "share",
            "business.facebook.com": "settings",
            "developers.facebook.com": "help",
        },
        "reserved": {
            "watch": "video",
            "video.php": "video",
            "videos": "video",
            "live": "video",
            "reel": "post",
            "reels": "video",
            "stories": "post",
            "story.php": "post",
            "permalink.php": "post",
            "photo.php": "post",
            "photo": "post",
            "photos": "post",
            "media": "post",
            "notes": "post",
            "posts": "post",
            "groups": "group",
            "events": "event",
            "search": "search",
            "hashtag": "hashtag",
            "settings": "settings",
            "privacy": "settings",
            "sharer": "share",
            "sharer.php": "share",
            "share": "share",
            "share.php": "share",
            "dialog": "share",
            "l.php": "share",
            "login": "login",
            "login.php": "login",
            "logout.php": "login",
            "recover": "login",
            "checkpoint": "login",
            "r.php": "login",
            "reg": "login",
            "signup": "login",
            "help": "help",
            "policies": "help",
            "legal": "help",
            "terms": "help",
            "about": "help",
            "marketplace": "other",
            "gaming": "other",
            "messages": "other",
            "notifications": "other",
            "friends": "other",
            "bookmarks": "other",
            "saved": "other",
            "memories": "other",
            "fundraisers": "other",
            "business": "other",
            "ads": "other",
            "careers": "other",
            "plugins": "other",
            "home.php": "other",
            "feeds": "other",
            "composer": "other",
        },
        "paths": [
            {
                "path": r"profile\.php",
                "query": {"id": r"(?P<handle>[0-9]+)"},
                "url": "https://www.facebook.com/profile.php?id={handle}",
            },
            {"path": r"people/[^/]+/(?P<handle>[0-9]+)", "url": "https://www.facebook.com/profile.php?id={handle}"},
            {"path": r"pages/[^/]+/(?P<handle>[0-9]+)", "url": "https://www.facebook.com/profile.php?id={handle}"},
            {"path": r"(?:pg/)?(?P<handle>[0-9]+)", "url": "https://www.facebook.com/profile.php?id={handle}"},
            # Old page addresses: the page's name and its number.
            {"path": r"(?:pg/)?[^/]+-(?P<handle>[0-9]{8,})", "url": "https://www.facebook.com/profile.php?id={handle}"},
            # User names: full stops and capitals do not count. Never "pages", "people", a *.php
            # page or only digits (that is a profile's number).
            {
                "path": r"(?!(?:pages|people)(?:/|$)|[^/]*\.php(?:/|$)|[0-9.]+(?:/|$))(?:pg/)?(?P<handle>[\w.]{5,50})",
                "url": "https://www.facebook.com/{handle}",
                "drop": ".",
            },
        ],
        "tabs": [
            "about", "photos", "photos_by", "photos_albums", "videos", "videos_by", "reels", "posts", "reviews",
            "followers", "following", "friends", "mentions", "community", "events", "map", "likes", "services",
            "shop", "jobs", "live", "groups",
        ],
        "handles": [
            {"pattern": r"@?(?P<handle>[0-9]+)", "url": "https://www.facebook.com/profile.php?id={handle}"},
            {"pattern": r"@?(?P<handle>[\w.]+)", "url": "https://www.facebook.com/{handle}"},
        ],
        "example": "https://www.facebook.com/helsebergen",
    },
    "instagram": {
        "hosts": rf"(?:(?:www|m|{LOCALE})\.)?(?:instagram\.com|instagr\.am)",
        "link_hosts": {"ig.me": "share", "help.instagram.com": "help", "about.instagram.com": "help"},
        "reserved": {
            "p": "post",
            "reel": "post",
            "reels": "video",
            "tv": "video",
            "stories": "post",
            "s": "post",
            "explore": "search",
            "directory": "search",
            "accounts": "settings",
            "emails": "settings",
            "challenge": "login",
            "session": "login",
            "oauth": "login",
            "direct": "other",
            "web": "other",
            "create": "other",
            "ar": "other",
            "lite": "other",
            "download": "other",
            "api": "other",
            "static": "other",
            "locations": "other",
            "about": "help",
            "legal": "help",
            "privacy": "help",
            "terms": "help",
            "press": "help",
            "developer": "help",
        },
        "paths": [{"path": r"(?:_u/)?(?P<handle>[\w.]{1,30})", "url": "https://www.instagram.com/{handle}/"}],
        "tabs": ["tagged", "reels", "guides", "saved", "feed", "channel", "followers", "following"],
        "handles": [{"pattern": r"@?(?P<handle>[\w.]+)", "url": "https://www.instagram.com/{handle}/"}],
        "example": "https://www.instagram.com/helsebergen/",
    },
    # Company, showcase and school pages are the hospital's kind of account; personal
    # profiles (/in/) are read too, so that people can ask about them and report them.
    "linkedin": {
        "hosts": r"(?:(?:www|m|mobile|touch|[a-z]{2})\.)?linkedin\.com",
        "link_hosts": {"lnkd.in": "share", "www.lnkd.in": "share"},
        "reserved": {
            "posts": "post",
            "pulse": "post",
            "newsletters": "post",
            "embed": "post",
            "video": "video",
            "feed": "other",
            "jobs": "other",
            "learning": "other",
            "messaging": "other",
            "mynetwork": "other",
            "notifications": "other",
            "premium": "other",
            "products": "other",
            "services": "other",
            "talent": "other",
            "sales": "other",
            "ad": "other",
            "ads": "other",
            "search": "search",
            "directory": "search",
            "groups": "group",
            "events": "event",
            "help": "help",
            "legal": "help",
            "login": "login",
            "signup": "login",
            "uas": "login",
            "checkpoint": "login",
            "authwall": "login",
            "settings": "settings",
            "psettings": "settings",
            "mypreferences": "settings",
            "sharing": "share",
            "share": "share",
            "sharearticle": "share",
            "redir": "share",
        },
        "paths": [
            {"path": r"company/(?P<handle>[\w.-]+)", "url": "https://www.linkedin.com/company/{handle}/"},
            {"path": r"showcase/(?P<handle>[\w.-]+)", "url": "https://www.linkedin.com/showcase/{handle}/"},
            {"path": r"school/(?P<handle>[\w.-]+)", "url": "https://www.linkedin.com/school/{handle}/"},
            {"path": r"in/(?P<handle>[\w.-]{3,100})", "url": "https://www.linkedin.com/in/{handle}/"},
        ],
        "tabs": ["about", "posts", "people", "jobs", "life", "videos", "events", "insights", "mycompany", "products"],
        "handles": [{"pattern": r"@?(?P<handle>[\w.-]+)", "url": "https://www.linkedin.com/company/{handle}/"}],
        "example": "https://www.linkedin.com/company/helse-bergen/",
    },
    "x": {
        "hosts": r"(?:(?:www|m|mobile)\.)?(?:x|twitter)\.com",
        "link_hosts": {"t.co": "share", "pic.twitter.com": "post", "pic.x.com": "post"},
        "reserved": {
            "home": "other",
            "i": "other",
            "compose": "other",
            "messages": "other",
            "notifications": "other",
            "jobs": "other",
            "download": "other",
            "who_to_follow": "other",
            "explore": "search",
            "search": "search",
            "hashtag": "hashtag",
            "settings": "settings",
            "account": "settings",
            "intent": "share",
            "share": "share",
            "login": "login",
            "logout": "login",
            "signup": "login",
            "tos": "help",
            "privacy": "help",
            "about": "help",
        },
        "paths": [{"path": r"@?(?P<handle>\w{1,15})", "url": "https://x.com/{handle}"}],
        "tabs": [
            "with_replies", "media", "likes", "highlights", "articles", "followers", "following",
            "verified_followers", "followers_you_follow", "superfollows", "affiliates",
        ],
        "handles": [{"pattern": r"@?(?P<handle>\w+)", "url": "https://x.com/{handle}"}],
        "example": "https://x.com/helsebergen",
    },
    # /c/ and /user/ are older forms that still lead to a channel; they are kept as they are,
    # since only YouTube knows which channel an old name belongs to.
    "youtube": {
        "hosts": r"(?:(?:www|m)\.)?youtube\.com",
        "link_hosts": {
            "youtu.be": "video",
            "www.youtu.be": "video",
            "youtube-nocookie.com": "video",
            "www.youtube-nocookie.com": "video",
            "studio.youtube.com": "settings",
        },
        "reserved": {
            "watch": "video",
            "shorts": "video",
            "live": "video",
            "embed": "video",
            "v": "video",
            "clip": "video",
            "post": "post",
            "playlist": "other",
            "feed": "other",
            "premium": "other",
            "gaming": "other",
            "music": "other",
            "kids": "other",
            "trending": "other",
            "podcasts": "other",
            "upload": "other",
            "source": "other",
            "new": "other",
            "ads": "other",
            "results": "search",
            "hashtag": "hashtag",
            "account": "settings",
            "subscription_manager": "settings",
            "paid_memberships": "settings",
            "redirect": "share",
            "attribution_link": "share",
            "signin": "login",
            "logout": "login",
            "about": "help",
            "t": "help",
            "howyoutubeworks": "help",
            "creators": "help",
            "supported_browsers": "help",
        },
        "paths": [
            {"path": r"@(?P<handle>[\w.-]{3,30})", "url": "https://www.youtube.com/@{handle}"},
            {"path": r"channel/(?P<handle>uc[a-z0-9_-]{22})", "url": "https://www.youtube.com/channel/{handle}", "case": "keep"},
            {"path": r"c/(?P<handle>[\w.-]+)", "url": "https://www.youtube.com/c/{handle}"},
            {"path": r"user/(?P<handle>[\w.-]+)", "url": "https://www.youtube.com/user/{handle}"},
        ],
        "tabs": [
            "featured", "videos", "shorts", "streams", "live", "playlists", "community", "posts", "channels",
            "about", "podcasts", "releases", "store", "courses", "membership",
        ],
        "handles": [
            {"pattern": r"@?(?P<handle>uc[a-z0-9_-]{22})", "url": "https://www.youtube.com/channel/{handle}"},
            {"pattern": r"@?(?P<handle>[\w.-]+)", "url": "https://www.youtube.com/@{handle}"},
        ],
        "example": "https://www.youtube.com/@helsebergen",
    },
    "tiktok": {
        "hosts": r"(?:(?:www|m)\.)?tiktok\.com",
        "link_hosts": {"vm.tiktok.com": "share", "vt.tiktok.com": "share"},
        "reserved": {
            "t": "share",
            "embed": "video",
            "video": "video",
            "live": "video",
            "discover": "search",
            "explore": "search",
            "search": "search",
            "tag": "hashtag",
            "music": "other",
            "foryou": "other",
            "following": "other",
            "friends": "other",
            "messages": "other",
            "inbox": "other",
            "upload": "other",
            "channel": "other",
            "place": "other",
            "setting": "settings",
            "login": "login",
            "signup": "login",
            "legal": "help",
            "about": "help",
        },
        "paths": [{"path": r"@(?P<handle>[\w.]{2,24})", "url": "https://www.tiktok.com/@{handle}"}],
        "handles": [{"pattern": r"@?(?P<handle>[\w.]+)", "url": "https://www.tiktok.com/@{handle}"}],
        "example": "https://www.tiktok.com/@helsebergen",
    },
    "snapchat": {
        "hosts": rf"(?:(?:www|story|m|{LOCALE})\.)?snapchat\.com",
        "link_hosts": {"t.snapchat.com": "share", "accounts.snapchat.com": "login"},
        "locale_prefix": LOCALE,
        "reserved": {
            "p": "post",
            "spotlight": "video",
            "discover": "other",
            "explore": "other",
            "lens": "other",
            "lenses": "other",
            "download": "other",
            "ads": "other",
            "web": "other",
            "t": "share",
            "unlock": "share",
            "privacy": "help",
            "terms": "help",
        },
        "paths": [
            {"path": r"add/(?P<handle>[\w.-]{3,15})", "url": "https://www.snapchat.com/add/{handle}"},
            {"path": r"@(?P<handle>[\w.-]{3,15})", "url": "https://www.snapchat.com/add/{handle}"},
        ],
        "handles": [{"pattern": r"@?(?P<handle>[\w.-]+)", "url": "https://www.snapchat.com/add/{handle}"}],
        "example": "https://www.snapchat.com/add/helsebergen",
    },
    "threads": {
        "hosts": r"(?:www\.)?threads\.(?:net|com)",
        "reserved": {
            "t": "post",
            "search": "search",
            "activity": "other",
            "settings": "settings",
            "login": "login",
            "intent": "share",
        },
        "paths": [{"path": r"@(?P<handle>[\w.]{1,30})", "url": "https://www.threads.com/@{handle}"}],
        "tabs": ["replies", "reposts", "media"],
        "handles": [{"pattern": r"@?(?P<handle>[\w.]+)", "url": "https://www.threads.com/@{handle}"}],
        "example": "https://www.threads.com/@helsebergen",
    },
    # A Bluesky handle is a domain name; a profile also has a permanent id, its DID.
    "bluesky": {
        "hosts": r"(?:www\.)?bsky\.app",
        "link_hosts": {"go.bsky.app": "share"},
        "reserved": {
            "search": "search",
            "hashtag": "hashtag",
            "settings": "settings",
            "notifications": "other",
            "feeds": "other",
            "lists": "other",
            "messages": "other",
            "starter-pack": "other",
            "start": "other",
            "intent": "share",
            "support": "help",
        },
        "paths": [
            {"path": r"profile/(?P<handle>did:plc:[a-z2-7]{24})", "url": "https://bsky.app/profile/{handle}"},
            {"path": r"profile/(?P<handle>did:web:[\w.-]+)", "url": "https://bsky.app/profile/{handle}"},
            {"path": r"profile/(?P<handle>[\w-]+(?:\.[\w-]+)+)", "url": "https://bsky.app/profile/{handle}"},
        ],
        "tabs": ["followers", "follows", "lists", "known-followers"],
        "handles": [
            {"pattern": r"@?(?P<handle>did:plc:[a-z2-7]{24})", "url": "https://bsky.app/profile/{handle}", "alone": True},
            {"pattern": r"@?(?P<handle>did:web:[\w.-]+)", "url": "https://bsky.app/profile/{handle}", "alone": True},
            {"pattern": r"@?(?P<handle>[\w-]+\.bsky\.social)", "url": "https://bsky.app/profile/{handle}", "alone": True},
            {"pattern": r"@?(?P<handle>[\w-]+(?:\.[\w-]+)+)", "url": "https://bsky.app/profile/{handle}"},
        ],
        "example": "https://bsky.app/profile/helsebergen.bsky.social",
    },
    # Mastodon runs on any server. A server can show another server's account
    # (https://mastodon.social/@name@snabelen.no); that address is read again as the other server's.
    "mastodon": {
        "any_host": True,
        "hosts": r"mastodon\.social|mastodon\.online|mstdn\.social|snabelen\.no",
        "excluded_hosts": r"(?:[a-z0-9-]+\.)*(?:medium\.com|substack\.com)",
        "reserved": {
            "explore": "search",
            "search": "search",
            "directory": "search",
            "tags": "hashtag",
            "settings": "settings",
            "filters": "settings",
            "admin": "settings",
            "auth": "login",
            "share": "share",
            "interact": "share",
            "invite": "share",
            "about": "help",
            "privacy-policy": "help",
            "public": "other",
            "deck": "other",
            "home": "other",
            "notifications": "other",
            "lists": "other",
            "bookmarks": "other",
            "favourites": "other",
        },
        "paths": [
            {
                "path": r"@(?P<handle>\w+)@(?P<host>[a-z0-9-]+(?:\.[a-z0-9-]+)+)",
                "url": "https://{host}/@{handle}",
                "follow": True,
            },
            {"path": r"(?:web/)?@(?P<handle>\w+)", "url": "https://{host}/@{handle}"},
            {"path": r"users/(?P<handle>\w+)", "url": "https://{host}/@{handle}"},
        ],
        "tabs": ["with_replies", "media", "followers", "following"],
        "handles": [
            {
                "pattern": r"@(?P<handle>\w+)@(?P<host>[a-z0-9-]+(?:\.[a-z0-9-]+)+)",
                "url": "https://{host}/@{handle}",
                "alone": True,
            },
            {"pattern": r"(?P<handle>\w+)@(?P<host>[a-z0-9-]+(?:\.[a-z0-9-]+)+)", "url": "https://{host}/@{handle}"},
        ],
        "display": "{handle}@{host}",
        "example": "https://mastodon.social/@helsebergen",
    },
    "vimeo": {
        "hosts": r"(?:(?:www|m)\.)?vimeo\.com",
        "link_hosts": {"player.vimeo.com": "video"},
        "reserved": {
            "watch": "video",
            "ondemand": "video",
            "live": "video",
            "video": "video",
            "channels": "group",
            "groups": "group",
            "event": "event",
            "events": "event",
            "showcase": "other",
            "album": "other",
            "upgrade": "other",
            "stock": "other",
            "create": "other",
            "upload": "other",
            "solutions": "other",
            "enterprise": "other",
            "pricing": "other",
            "home": "other",
            "categories": "search",
            "search": "search",
            "explore": "search",
            "settings": "settings",
            "manage": "settings",
            "log_in": "login",
            "join": "login",
            "features": "help",
            "blog": "help",
            "help": "help",
            "about": "help",
            "privacy": "help",
            "terms": "help",
        },
        "other_pages": [{"path": r"[0-9]+(?:/.*)?", "kind": "video"}],
        "paths": [{"path": r"(?P<handle>\w{2,64})", "url": "https://vimeo.com/{handle}"}],
        "tabs": ["videos", "collections", "likes", "following", "followers", "albums", "channels", "groups", "showcases"],
        "handles": [{"pattern": r"@?(?P<handle>\w+)", "url": "https://vimeo.com/{handle}"}],
        "example": "https://vimeo.com/helsebergen",
    },
    # A Flickr member has an alias and a numeric id (12345678@N02); both are read.
    "flickr": {
        "hosts": r"(?:(?:www|m|secure)\.)?flickr\.com",
        "link_hosts": {"flic.kr": "share", "www.flic.kr": "share"},
        "reserved": {
            "explore": "search",
            "search": "search",
            "groups": "group",
            "account": "settings",
            "signin": "login",
            "signup": "login",
            "help": "help",
            "about": "help",
            "services": "other",
            "map": "other",
            "commons": "other",
            "upload": "other",
            "prints": "other",
            "places": "other",
        },
        "other_pages": [
            {"path": r"photos/tags(?:/.*)?", "kind": "hashtag"},
            {"path": r"photos/(?:organize|upload|friends|me)(?:/.*)?", "kind": "other"},
        ],
        "paths": [
            {
                "path": r"(?:photos|people)/(?P<handle>[0-9]+@n[0-9]+)",
                "url": "https://www.flickr.com/photos/{handle}/",
                "case": "upper",
            },
            {"path": r"(?:photos|people)/(?P<handle>[\w-]+)", "url": "https://www.flickr.com/photos/{handle}/"},
        ],
        "tabs": ["albums", "sets", "favorites", "galleries", "with", "map", "groups", "contacts"],
        "handles": [
            {"pattern": r"@?(?P<handle>[0-9]+@n[0-9]+)", "url": "https://www.flickr.com/photos/{handle}/"},
            {"pattern": r"@?(?P<handle>[\w-]+)", "url": "https://www.flickr.com/photos/{handle}/"},
        ],
        "example": "https://www.flickr.com/photos/helsebergen/",
    },
    "pinterest": {
        "hosts": rf"(?:(?:www|m|{LOCALE})\.)?pinterest\.(?:com|[a-z]{{2}}|co\.[a-z]{{2}}|com\.[a-z]{{2}})",
        "link_hosts": {"pin.it": "share"},
        "reserved": {
            "pin": "post",
            "videos": "video",
            "search": "search",
            "ideas": "search",
            "explore": "search",
            "categories": "search",
            "topics": "search",
            "today": "other",
            "business": "other",
            "_": "other",
            "resource": "other",
            "news_hub": "other",
            "pin-builder": "other",
            "notifications": "other",
            "inbox": "other",
            "homefeed": "other",
            "settings": "settings",
            "login": "login",
            "logout": "login",
            "signup": "login",
            "password": "login",
        },
        "paths": [{"path": r"(?P<handle>\w{3,30})", "url": "https://www.pinterest.com/{handle}/"}],
        "tabs": ["_saved", "_created", "_shop", "_profile", "pins", "boards", "followers", "following"],
        "handles": [{"pattern": r"@?(?P<handle>\w+)", "url": "https://www.pinterest.com/{handle}/"}],
        "example": "https://www.pinterest.com/helsebergen/",
    },
}


def load(apps, schema_editor):
    Platform = apps.get_model("platforms", "Platform")
    for slug, rules in RULES.items():
        Platform.objects.filter(slug=slug).update(url_rules=rules, icon=ICONS[slug])


class Migration(migrations.Migration):
    dependencies = [("platforms", "0002_catalogue")]
    operations = [
        migrations.AddField(
            model_name="platform",
            name="icon",
            field=models.TextField(
                blank=True,
                help_text="The path data (the “d” attribute) of a one-colour SVG icon drawn on a 24 × 24 grid.",
                validators=[platforms.models.validate_icon_path],
                verbose_name="icon",
            ),
        ),
        migrations.AddField(
            model_name="platform",
            name="url_rules",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="How the platform's profile addresses look; the model's documentation describes the keys.",
                verbose_name="profile address rules",
            ),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]

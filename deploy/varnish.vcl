vcl 4.1;

import std;
# Varnish in front of gunicorn (or of nginx without its micro-cache).
# Wagtail purges it on publish through its frontend-cache HTTP backend:
#   WAGTAILFRONTENDCACHE = {"varnish": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
#                                       "LOCATION": "http://127.0.0.1:6081"}}
# (docs/deploy.md). Debian 12's Varnish (7.1) runs this file as it is (tests/proxies/test_varnish.py).
# References: https://varnish-cache.org/docs/trunk/users-guide/vcl-grace.html,
# https://varnish-cache.org/docs/trunk/users-guide/purging.html

backend newsdesk {
    .host = "127.0.0.1";
    .port = "8000";
    # The probe asks as a reader behind the TLS terminator would: production answers
    # plain HTTP with a redirect and a host outside ALLOWED_HOSTS with a 400, and
    # either marked the app sick for good. Use the site's host name here.
    .probe = {
        .request = "GET /healthz HTTP/1.1"
                   "Host: news.example.com"
                   "X-Forwarded-Proto: https"
                   "Connection: close";
        .interval = 5s;
        .timeout = 2s;
        .window = 5;
        .threshold = 3;
    }
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (!client.ip ~ purgers) {
            return (synth(405, "Not allowed"));
        }
        # A ban, not a purge: the app purges a path together with every query it keeps
        # (?page=N, docs/deploy.md), so every copy of the path goes, grace copies
        # included. The path is matched literally (each other character escaped); the
        # ban tests only what the stored object carries (x-host, x-url), so Varnish's
        # ban lurker clears it in the background.
        if (std.ban("obj.http.x-host == " + req.http.host + " && obj.http.x-url ~ ^"
                + regsuball(regsub(req.url, "[?#].*$", ""), "([^A-Za-z0-9/_-])", "\\\1") + "([?]|$)")) {
            return (synth(200, "Purged"));
        }
        return (synth(400, std.ban_error()));
    }
    # Renditions under /media/images/ are the only media readers get (docs/deploy.md,
    # "Pictures"): uploaded originals keep their camera metadata (GPS position, serial
    # numbers) and documents go through /documents/ and its privacy rules. Varnish does
    # not normalise URLs, so any path naming the originals' folder is refused too, in
    # any case, its underscore escaped or not (what is behind refuses them as well).
    if ((req.url ~ "(?i)^/+media/" && req.url !~ "^/media/images/")
            || req.url ~ "(?i)^[^?#]*original(_|%5f)images") {
        return (synth(404, "Not Found"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Signed-in staff reach the app and never share copies.
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    if (req.url ~ "^/(admin|documents|stats|ads|comments)/") {
        return (pass);
    }
    # Other cookies never change a page (scripts read them in the browser).
    unset req.http.Cookie;
    # Tracking parameters do not change a page either.
    set req.url = regsuball(req.url, "(?<=[?&])(utm_[a-z]+|fbclid|gclid)=[^&]*&?", "");
    set req.url = regsub(req.url, "[?&]$", "");
    return (hash);
}

sub vcl_backend_response {
    # The app's s-maxage ends by local midnight. Grace: once a copy is stale, the
    # next request gets it while one background fetch refreshes it (one request to
    # the app per URL, however many readers), and while the app is unreachable
    # the stale copy keeps being served for up to a day.
    set beresp.grace = 24h;
    # What a PURGE's ban tests (vcl_recv); not sent to readers.
    set beresp.http.x-url = bereq.url;
    set beresp.http.x-host = bereq.http.host;
    if (beresp.http.Vary == "Cookie") {
        unset beresp.http.Vary;  # cookies were dropped in vcl_recv
    }
}

sub vcl_deliver {
    unset resp.http.x-url;
    unset resp.http.x-host;
    if (obj.hits > 0) {
        set resp.http.X-Varnish-Cache = "hit";
    } else {
        set resp.http.X-Varnish-Cache = "miss";
    }
}

vcl 4.1;
# Varnish in front of gunicorn (or of nginx without its micro-cache).
# Wagtail purges it on publish through its frontend-cache HTTP backend:
#   WAGTAILFRONTENDCACHE = {"varnish": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
#                                       "LOCATION": "http://127.0.0.1:6081"}}
# (docs/deploy.md). Reference: https://varnish-cache.org/docs/trunk/users-guide/vcl-grace.html

backend newsdesk {
    .host = "127.0.0.1";
    .port = "8000";
    .probe = { .url = "/healthz"; .interval = 5s; .timeout = 2s; .window = 5; .threshold = 3; }
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
        return (purge);
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
    if (beresp.http.Vary == "Cookie") {
        unset beresp.http.Vary;  # cookies were dropped in vcl_recv
    }
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Varnish-Cache = "hit";
    } else {
        set resp.http.X-Varnish-Cache = "miss";
    }
}

vcl 4.1;
# Tòa soạn's front cache: whole public pages for anonymous readers, purged by
# key the moment a write commits (Django sends PURGE with xkey-purge, see
# pagecache/purge.py). Django decides what may be shared (Cache-Control,
# s-maxage, xkey); this file only enforces it. Varnish 7.1 + varnish-modules.
# Tested by tests/pagecache/test_varnish.py, which swaps in its own backend.

import std;
import xkey;

# gunicorn, as in the README ("Running on PostgreSQL"): BIND=127.0.0.1:8000.
backend django {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    # Matches gunicorn's worker timeout: a slow page is Django's to cut short.
    .first_byte_timeout = 30s;
}

# Who may purge: Django runs on this machine (PURGE_URLS=http://127.0.0.1:6081).
acl purgers {
    "127.0.0.1";
    "::1";
}

# A TLS terminator on this machine (nginx, hitch) that already appended the
# reader's address to X-Forwarded-For.
acl local_proxies {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        # Purging by URL is not offered: a page is purged by what it shows.
        if (!req.http.xkey-purge) {
            return (synth(405, "PURGE needs an xkey-purge header"));
        }
        # Hard purge: the page is gone, not kept for grace, so no reader sees
        # the old version once Django's write has returned.
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        # `varnishlog -i VCL_Log` shows what each write purged.
        std.log("xkey-purge " + req.http.xkey-purge + ": " + req.http.n-gone);
        return (synth(200, "Purged " + req.http.n-gone));
    }

    # Varnish appended client.ip before this sub ran. Behind a local TLS
    # terminator that is 127.0.0.1, and Django (BEHIND_PROXY=1) reads the
    # right-most address as the reader's: every reader would share one comment
    # rate limit. Drop our own entry so the terminator's stays last.
    if (client.ip ~ local_proxies && req.http.X-Forwarded-For ~ ",") {
        set req.http.X-Forwarded-For = regsub(
            req.http.X-Forwarded-For, "\s*,[^,]*$", "");
    }

    # Builtin rules: lower-case Host, 400 without one; POST, PUT, DELETE...
    # pass (comment posts, admin saves), unknown methods pipe.
    call vcl_req_host;
    call vcl_req_method;

    # The admin is per editor, whatever Django's headers say.
    if (req.url ~ "^/quan-tri/") {
        return (pass);
    }
    # Signed-in staff (Authorization, or Django's session), a reader with
    # a message waiting ("Cảm ơn bạn! ...") and one who has just written
    # (read_primary: their next pages read from the database primary, see
    # paper/routers.py) see their own page. The same cookies make Django's
    # page cache step aside (pagecache/middleware.py).
    if (req.http.Authorization
        || req.http.Cookie ~ "(^|;)\s*(sessionid|messages|read_primary)=") {
        return (pass);
    }
    # Any other cookie (csrftoken, analytics) does not change the page.
    # The Cookie header is kept, not removed: on a miss Django gets it, and if
    # its answer sets a cookie anyway, vcl_backend_response keeps it private.
    # Skipping the builtin cookie rule is the point of this return.
    return (hash);
}

sub vcl_hash {
    # With HTTPS=1 Django answers plain http with a redirect to https (no
    # Cache-Control, so Varnish keeps it its default 2 minutes): the TLS
    # terminator's X-Forwarded-Proto must split the copies, or https readers
    # would be sent that redirect in a loop. The builtin hash (URL, Host)
    # follows.
    hash_data(req.http.X-Forwarded-Proto);
}

sub vcl_backend_response {
    # Never share an answer that sets a cookie (a CSRF token, a session) or
    # that Django marked private: a preview, a staff page, a form's answer.
    # Hit-for-miss: the next readers go to Django without queueing behind one
    # another, and a later cacheable answer replaces the marker at once.
    if (beresp.http.Set-Cookie
        || beresp.http.Cache-Control ~ "(?i)(private|no-store|no-cache)") {
        set beresp.ttl = 120s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # Varnish already takes beresp.ttl from s-maxage (it wins over max-age=0,
    # which is for browsers) and beresp.grace from stale-while-revalidate: a
    # page served that long past its s-maxage while a fresh copy is fetched.
    # Django leaves that out when a scheduled article is due before the page
    # expires; then no grace at all, rather than Varnish's default 10 s.
    if (beresp.http.Cache-Control !~ "stale-while-revalidate") {
        set beresp.grace = 0s;
    }
    # Once stale, ask Django with If-None-Match: an unchanged page costs a
    # 304, not a transfer. A purge removes the copy with its keep time.
    set beresp.keep = 10m;
}

sub vcl_deliver {
    # Purge keys are between Django and this cache.
    unset resp.http.xkey;
    # For operators and the tests; a pass or miss shows MISS.
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}

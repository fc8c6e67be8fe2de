// claw-mesh dashboard: live updates without a build step. Every page works without this script (a refresh shows the
// current state); with it, the live part of a page is fetched again from the server when the mesh reports a change on
// the event stream, and every few seconds, and ages such as "12 s ago" keep counting.
(function () {
    'use strict';

    var EVENT_TYPES = ['node.registered', 'node.status_changed', 'node.removed', 'rule.added', 'rule.removed',
        'rule.moved', 'message.routed', 'message.failed'];

    function ago(iso) {
        var seconds = Math.max(0, Math.floor((Date.now() - Date.parse(iso)) / 1000));
        if (seconds < 2) { return 'just now'; }
        if (seconds < 60) { return seconds + ' s ago'; }
        if (seconds < 3600) { return Math.floor(seconds / 60) + ' min ago'; }
        if (seconds < 86400) { return Math.floor(seconds / 3600) + ' h ago'; }
        return Math.floor(seconds / 86400) + ' d ago';
    }

    function tickAges() {
        document.querySelectorAll('time[data-ago][datetime]').forEach(function (time) {
            var text = ago(time.getAttribute('datetime'));
            if (time.textContent !== text) { time.textContent = text; }
        });
    }

    function indicator(state) {
        var element = document.getElementById('live-indicator');
        if (!element) { return; }
        element.hidden = false;
        element.classList.toggle('connected', state === 'live');
        element.textContent = state === 'live' ? 'live' : 'reconnecting…';
    }

    // Ctrl+Enter (or Cmd+Enter) in a text area sends its form, as in chat tools.
    function submitOnCtrlEnter() {
        document.querySelectorAll('textarea[data-submit-on-ctrl-enter]').forEach(function (area) {
            area.addEventListener('keydown', function (event) {
                if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && area.form) {
                    event.preventDefault();
                    area.form.requestSubmit();
                }
            });
        });
    }

    function start() {
        submitOnCtrlEnter();
        setInterval(tickAges, 1000);
        var main = document.querySelector('main[data-live]');
        if (!main) { return; }
        var url = main.getAttribute('data-live');
        var prefixes = (main.getAttribute('data-live-events') || '').split(' ').filter(Boolean);
        var refreshMs = parseInt(main.getAttribute('data-refresh-ms'), 10) || 10000;
        var pending = null;
        var running = false;
        var again = false;

        function refresh() {
            if (running) { again = true; return; }
            running = true;
            fetch(url, {credentials: 'same-origin', headers: {'Accept': 'text/html'}, cache: 'no-store'})
                .then(function (response) {
                    if (response.status === 401 || response.status === 404 || response.redirected) {
                        // The session ended (a reload shows the login page) or the node is gone (its not-found page).
                        window.location.reload();
                        return null;
                    }
                    if (!response.ok) { throw new Error('HTTP ' + response.status); }
                    return response.text();
                })
                .then(function (html) {
                    if (html !== null) { swap(html); }
                })
                .catch(function () { /* the next event or tick tries again */ })
                .then(function () {
                    running = false;
                    if (again) { again = false; schedule(); }
                });
        }

        function swap(html) {
            var current = document.getElementById('live');
            var next = new DOMParser().parseFromString(html, 'text/html').getElementById('live');
            if (!current || !next) { return; }
            // Keep keyboard focus where it was: the element with the same id in the new content gets it back.
            var focused = document.activeElement;
            var focusId = (focused && current.contains(focused)) ? focused.id : null;
            current.replaceWith(next);
            tickAges();
            if (focusId) {
                var target = document.getElementById(focusId);
                if (target) { target.focus(); }
            }
        }

        function schedule() {
            if (pending) { return; }
            pending = setTimeout(function () { pending = null; refresh(); }, 250);
        }

        setInterval(refresh, refreshMs);

        if (!window.EventSource || !main.getAttribute('data-events')) { return; }
        var source = new EventSource(main.getAttribute('data-events'));
        source.onopen = function () { indicator('live'); };
        source.onerror = function () { indicator('reconnecting'); };
        EVENT_TYPES.forEach(function (type) {
            var wanted = prefixes.some(function (prefix) { return type.indexOf(prefix) === 0; });
            if (wanted) { source.addEventListener(type, schedule); }
        });
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', start);
    } else {
        start();
    }
}());

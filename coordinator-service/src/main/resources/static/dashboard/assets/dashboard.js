// claw-mesh dashboard: live updates without a build step. Every page works without this script (a refresh shows the
// current state); with it, the live part of a page is fetched again from the server when the mesh reports a change on
// the event stream, and every few seconds, and ages such as "12 s ago" keep counting. A task's reply is shown as it is
// written, from the task's event stream; the console sends its message as a task when this script runs.
(function () {
    'use strict';

    var EVENT_TYPES = ['node.registered', 'node.status_changed', 'node.removed', 'rule.added', 'rule.removed',
        'rule.moved', 'message.routed', 'message.failed', 'task.queued', 'task.started', 'task.finished'];

    var FINAL_TASK_EVENTS = ['succeeded', 'failed', 'canceled', 'timed_out'];

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


    // Follows one task's event stream (ADR 0008) and tells the handlers what happens. Every delta's id says where its
    // text ends in the reply ("d<offset>"), so a resumed or restarted stream never doubles text. The stream is closed
    // after the final event (an EventSource would otherwise connect again).
    function followTask(url, handlers) {
        var source = new EventSource(url);
        var text = '';
        var ended = false;
        function data(event) {
            try { return JSON.parse(event.data); } catch (e) { return {}; }
        }
        ['assigned', 'started'].forEach(function (type) {
            source.addEventListener(type, function (event) { handlers.status(type === 'started' ? 'running' : type, data(event)); });
        });
        source.addEventListener('queued', function (event) { handlers.status('queued', data(event)); });
        source.addEventListener('delta', function (event) {
            var piece = data(event).text || '';
            var end = parseInt(String(event.lastEventId || '').slice(1), 10);
            var start = isNaN(end) ? text.length : end - piece.length;
            text = (start >= 0 && start <= text.length) ? text.slice(0, start) + piece : text + piece;
            handlers.text(text);
        });
        FINAL_TASK_EVENTS.forEach(function (type) {
            source.addEventListener(type, function (event) {
                ended = true;
                source.close();
                var body = data(event);
                if (type === 'succeeded' && typeof body.response === 'string') { text = body.response; handlers.text(text); }
                handlers.end(type, body);
            });
        });
        source.onerror = function () {
            if (!ended && source.readyState === EventSource.CLOSED) { handlers.lost(); }
        };
        return source;
    }

    function setStatus(badge, status) {
        badge.textContent = status;
        badge.setAttribute('data-status', status);
        badge.className = 'badge task-status status-' + status.replace('_', '-');
    }

    // The console: with this script a message runs as a task and its reply grows as it is written; the Cancel button
    // cancels the task. Without it, the form posts to the page and waits for the whole reply.
    function streamingConsole() {
        var form = document.getElementById('console-form');
        var template = document.getElementById('stream-template');
        if (!form || !template || !window.EventSource || !window.fetch) { return; }
        var current = null;
        form.addEventListener('submit', function (event) {
            event.preventDefault();
            if (current) { current.close(); current = null; }
            var old = document.getElementById('result');
            if (old) { old.remove(); }
            var panel = template.content.firstElementChild.cloneNode(true);
            template.parentNode.insertBefore(panel, template);
            var field = function (id) { return panel.querySelector('#' + id); };
            var csrf = form.querySelector('input[name="_csrf"]');
            var began = Date.now();
            var cancel = field('result-cancel');
            var fail = function (message) {
                field('result-heading').textContent = 'Not delivered';
                field('result-error').textContent = message;
                field('result-error').hidden = false;
                cancel.hidden = true;
            };
            cancel.hidden = true;
            field('result-status').textContent = 'sending';
            fetch(form.getAttribute('data-stream'), {
                method: 'POST', credentials: 'same-origin', cache: 'no-store',
                headers: {'Accept': 'application/json'},
                body: new URLSearchParams(new FormData(form))
            }).then(function (response) {
                if (response.status === 401) { window.location.reload(); return null; }
                if (response.status === 403) { fail('This form has expired: reload the page and send again.'); return null; }
                return response.json().then(function (body) {
                    if (!response.ok) { fail(body.detail || body.title || ('HTTP ' + response.status)); return null; }
                    return body;
                });
            }).then(function (task) {
                if (!task) { return; }
                var link = field('result-task');
                link.textContent = task.task_id;
                link.setAttribute('href', task.page);
                cancel.hidden = false;
                cancel.addEventListener('click', function () {
                    cancel.disabled = true;
                    var body = new URLSearchParams();
                    if (csrf) { body.append('_csrf', csrf.value); }
                    fetch(task.cancel, {method: 'POST', credentials: 'same-origin', redirect: 'manual', body: body})
                        .catch(function () { cancel.disabled = false; });
                });
                current = followTask(task.events, {
                    status: function (status, body) {
                        setStatus(field('result-status'), status);
                        if (body.node_name) {
                            var node = field('result-node');
                            node.textContent = body.node_name;
                            node.setAttribute('href', form.getAttribute('data-node-href') + encodeURIComponent(body.node_id));
                            panel.querySelector('.result-node-part').hidden = false;
                        }
                    },
                    text: function (text) { field('result-reply').textContent = text; },
                    end: function (status, body) {
                        setStatus(field('result-status'), status);
                        field('result-latency').textContent = (Date.now() - began) + ' ms';
                        panel.querySelector('.result-latency-part').hidden = false;
                        cancel.hidden = true;
                        if (status !== 'succeeded') { fail(body.error || status); }
                    },
                    lost: function () { fail('Lost the reply stream; the task page shows how it ends.'); }
                });
            }).catch(function () { fail('Could not reach the coordinator.'); });
        });
    }

    // A task's page: its reply grows as it is written while it runs; the live part above shows its status.
    function streamingTask() {
        var section = document.querySelector('[data-task-stream]');
        if (!section || !window.EventSource) { return; }
        var reply = document.getElementById('task-reply');
        followTask(section.getAttribute('data-task-stream'), {
            status: function () {},
            text: function (text) {
                reply.textContent = text;
                var note = document.getElementById('task-reply-note');
                if (note) { note.remove(); }
            },
            end: function () {},
            lost: function () {}
        });
    }

    function start() {
        submitOnCtrlEnter();
        streamingConsole();
        streamingTask();
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

"""Test helpers, each defined once; the fixtures in ``tests/conftest.py`` are built on them and
``bench/`` uses the fake Slack and the request signing.

- ``clock``: ``OSLO``, ``NOW`` (the suite's fixed Tuesday), ``at(...)``, a hand-moved ``Clock``.
- ``runtime``: the test tokens and ``ADMIN``; ``settings_for``, ``runtime_on``, ``started``;
  ``say``/``reply_to`` (``/lhl …`` through ``Runtime.handle``) and ``grant``.
- ``slack_requests``: requests as Slack signs and sends them (``sign_request``, slash
  commands, button presses, Events API deliveries).
- ``fake_slack``: the fake Web API and Socket Mode endpoint on loopback.
- ``slack_limits``: Slack's rules for a message, checked wherever a test sees one.
- ``senders``: ``RecordingSender``, a reminder sender that keeps what it was given.
- ``http_bot``: ``lhl http`` in a subprocess (``start_http_bot``), ``call_asgi``,
  ``assert_reply``.
- ``processes``: ``REPO`` and the clean environment a child ``lhl`` starts in.
"""

// Usage texts of every command, in a module that imports nothing, so `gpuwarden help` and bad-usage
// messages never load a command (or its dependencies).

/** Where live collection finds its sources: the same lines for probe, capture and serve --local-probe. */
const LIVE_SOURCE_FLAG_LINES = `  --nvidia-smi PATH    nvidia-smi to run (default: nvidia-smi on PATH, or $GPUWARDEN_NVIDIA_SMI)
  --nvidia-smi-timeout-ms N  kill a wedged nvidia-smi after N ms (default 10000)
  --docker-socket P    Docker Engine socket (default: $DOCKER_HOST or /var/run/docker.sock); --no-docker to skip
  --home-root DIR      where home folders live, for owner detection (default /home)
  --proc-root DIR      where procfs is mounted (default /proc)
  --sysfs-root DIR     where sysfs is mounted, for container cgroup counters (default /sys)
`;

/** The flags that say where the live probe finds its sources (probe and capture). */
export const SOURCE_FLAGS_USAGE = `Source flags (live collection; probe and capture):
${LIVE_SOURCE_FLAG_LINES}  --host NAME          host name to report (default: this machine's)
  --redact REGEX       also mask what REGEX matches in command lines (group 1 if it has one; repeatable);
                       values of key/token/secret/password/auth/credential options, URL passwords and known
                       token shapes are always masked, before anything is printed, spooled or sent
`;

/** Where the admin commands (alerts, silence, grant, actions) find the service and the admin token, and their exit codes. */
export const ADMIN_CONNECTION_USAGE = `  --url URL       the rules service (http://HOST:8787); default $GPUWARDEN_URL, then url: in the CLI config
  --token-file F  a file holding an admin token (never printed); default $GPUWARDEN_TOKEN_FILE, then token_file:
                  in the CLI config
  CLI config: $XDG_CONFIG_HOME/gpuwarden/cli.yaml (default ~/.config/gpuwarden/cli.yaml) with the keys url: and
  token_file: (relative to the file's folder); read only when a flag and its variable are both unset.

Exit codes: 0 ok, 1 the request failed (service unreachable or refusing, token file or cli.yaml unreadable or
invalid), 2 bad usage (no URL or token file anywhere, unknown flag).
`;

/** Usage text of `gpuwarden probe`. */
export const PROBE_USAGE = `gpuwarden probe --once [--json] [--replay DIR] | --push URL --token-file F [--once] [--enforcement-config F] [source flags]

  --once               collect one snapshot and print it (with --push: push it, print one line, exit)
  --json               print the HostSnapshot JSON instead of the table
  --replay DIR         build the snapshot from a capture folder (no GPU, Docker or root needed; needs --once)
  --push URL           send snapshots to the rules service at URL (POST URL/v1/snapshots); without --once,
                       keep collecting and pushing every --interval until SIGTERM/SIGINT
  --token-file F       file holding the service's bearer token (one line; keep it chmod 600)
  --interval D         time between snapshots, like 30s, 5m or 500ms (default 30s)
  --spool DIR          where undelivered snapshots wait, oldest sent first (default /var/lib/gpuwarden/spool
                       as root, else ~/.local/state/gpuwarden/spool); holds 24 h (2880 files) or 256 MiB, then drops the oldest
  --enforcement-config F  this host's enforcement settings (YAML: mode off|dry-run|on, allow, exempt_users, …;
                       see config/probe-enforcement.example.yaml); default dry-run, warn only; not with --once

${SOURCE_FLAGS_USAGE}
Exit codes: 0 ok (also when a source failed: it is in the snapshot's errors and a warning goes to stderr; with
--push --once, when the snapshot was delivered or spooled for later), 1 the service rejected the snapshot or refused
the token (401/403; the snapshot stays spooled), it could not be spooled, or the capture folder is unreadable, 2 bad usage, an unreadable --token-file or a broken
--enforcement-config. The long-running probe exits 0 after SIGTERM/SIGINT.
`;

/** Usage text of `gpuwarden capture`. */
export const CAPTURE_USAGE = `gpuwarden capture DIR [--usage-interval 1s] [source flags]

  Records this host's raw probe inputs (nvidia-smi -q -x and -L, docker inspect, /proc of each GPU
  process, NSS lines of the users seen, owners of home bind mounts) into DIR, for a bug report or a test.
  Running containers' cgroup and network counters are read twice, --usage-interval apart (default 1s; 0 for
  once), so the replayed snapshot has container usage (CPU %, network, active processes).
  Command lines are stored with secrets masked (as in the snapshot); add site patterns with --redact REGEX.
  Replay anywhere with: gpuwarden probe --once --replay DIR
  --usage-interval D   time between the two counter readings, like 1s or 500ms (default 1s; 0 for one reading)

${SOURCE_FLAGS_USAGE}
Exit codes: 0 captured (a source that failed is kept as *.error.json), 1 DIR cannot be written, 2 bad usage.
`;

/** Usage text of `gpuwarden serve`. */
export const SERVE_USAGE = `gpuwarden serve [--config FILE] [--port N] [--host ADDR] [--store SPEC] [--rules DIR] [--limits FILE] [--admin-token-file F] [--log-level LEVEL] [--log-format FORMAT] [--local-probe [local probe flags]]

  Run the rules service: POST /v1/snapshots (probe tokens), GET /v1/alerts and /v1/hosts (admin tokens), /healthz.
  --config FILE   gpuwarden.yaml (annotated example: config/gpuwarden.example.yaml); without it the defaults below
  --port N        port to listen on (default 8787; 0 picks a free one)
  --host ADDR     address to listen on (default 127.0.0.1: this machine only)
  --store SPEC    SQLite file (default gpuwarden.sqlite in $STATE_DIRECTORY, else /var/lib/gpuwarden as root,
                  else ~/.local/state/gpuwarden) or memory:
  --rules DIR     folder of rule files (default the rule pack inside the installed package)
  --limits FILE   DS01 resource-limits.yaml (default the package's config/resource-limits.example.yaml)
  --admin-token-file F  one more admin token, read from F (named after the file: admin.token → admin; only its
                  SHA-256 is kept); gpuwarden token new writes one
  --log-level LEVEL    debug, info (default), warn or error; debug adds a line per successful request
  --log-format FORMAT  json (one object per line; default when stderr is not a terminal) or text
  Flags override the config file; their paths are relative to the current folder. Stops cleanly on SIGTERM/SIGINT.

Local probe (one box, one command): also probe this machine, in this process, into this service (no token, no HTTP).
  Same as local_probe: in gpuwarden.yaml; these flags win over it. Without nvidia-smi or Docker it says so once and
  still serves: each snapshot lists the failing sources (rule probe-source-failing).
  --local-probe        probe this machine every --probe-interval (snapshots go straight to the rules)
  --probe-interval D   time between snapshots, like 30s or 500ms (default: probe_interval_s, 30s)
  --probe-host NAME    host name the snapshots carry (default: this machine's)
  --enforcement-config F  the probe's enforcement settings (config/probe-enforcement.example.yaml); default dry-run, warn only
${LIVE_SOURCE_FLAG_LINES}  --redact REGEX       also mask what REGEX matches in command lines (repeatable; added to local_probe.redact)

Exit codes: 0 stopped cleanly, 1 invalid config, the store cannot be opened or the service cannot start, 2 bad usage.
`;

/** Usage text of `gpuwarden rules check`. */
export const RULES_CHECK_USAGE = `gpuwarden rules check [DIR] [--notifications FILE] [--json]

  Check the rules files of DIR (default the package's own rules/; every *.json except *.schema.json, symlinks
  followed): JSON syntax, the rule schema (rules/rule.schema.json), fact names of each scope, operators, durations,
  templates, duplicate ids. Any other entry (a.JSON, notes.txt, a dangling link, a folder) is a problem; *.md and
  hidden (.name) ones are not.
  --notifications FILE: every "notify" receiver must be defined in FILE (notifications.yaml), as serve requires.
  Prints each problem as "FILE: rule ID: JSONPATH: MESSAGE", then "N rules OK" or "N problems".
  --json   print {"ok": bool, "rules": N, "problems": [{"file", "ruleId" (or null), "jsonPath", "message"}]}

Exit codes: 0 every rule is valid, 1 any problem (or an unreadable or empty folder), 2 bad usage.
`;

/** Usage text of `gpuwarden rules test`. */
export const RULES_TEST_USAGE = `gpuwarden rules test (--replay DIR | SNAPSHOT.json)... [--at TIME]... [--json] [--rules DIR] [--limits FILE]

  Runs snapshots through the rule pack exactly as the service does (facts, rules, alert state), in the order
  given, and prints the alerts that are pending or firing after the last one.
  --replay DIR      a capture folder (gpuwarden capture); repeat, or mix with snapshot JSON files
  --at TIME         evaluate the i-th input as taken at TIME (ISO 8601); give one per input, in order
  --json            print [{rule, severity, state, labels, stage, summary, stale}] instead of a table
  --render          also show the exact Slack payload and email each alert would produce, for the person
                    concerned (when it has a user) and for the admins; a pending alert is shown as it would read
                    once sent (pending alerts are never sent)
  --notifications FILE  notifications.yaml whose contact: signs the rendered user messages (default: none, so
                    "Ask the server's administrators")
  --rules DIR       rule pack (default the package's own rules/)
  --limits FILE     DS01 resource-limits.yaml (default: DS01's shipped student limits for everyone)
  --interval D      probe interval, a duration like 30s or 1m (default 30s); --silent-after N intervals (default 3)

Exit codes: 0 ok (whatever the alerts), 1 an input, the rules or a config cannot be read, 2 bad usage.
`;

/** Usage text of `gpuwarden rules`. */
export const RULES_USAGE = `gpuwarden rules check [DIR] [--notifications FILE] | rules test (--replay DIR | SNAPSHOT.json)... [flags]\n\n${RULES_CHECK_USAGE}\n${RULES_TEST_USAGE}`;

/** Usage text of `gpuwarden config`. */
export const CONFIG_USAGE = `gpuwarden config check --limits FILE [--strict] [--user NAME]... [--at TIME] [--json]

  --limits FILE   DS01-style resource-limits.yaml; groups/*.members, user-overrides.yaml,
                  lifecycle-exemptions.yaml and group-overrides.txt are read from its folder when present
  --strict        warnings (keys no gpuwarden rule enforces, shadowed aliases, ...) count as errors
  --user NAME     also print NAME's effective limits (repeat for more users)
  --at TIME       ISO-8601 time at which exemptions are judged (default: now)
  --json          print {"ok": bool, "file", "summary": {"groups", "members", "userOverrides", "exemptions",
                  "groupOverrides", "defaultGroup", "filesRead"} (null when the file failed to load),
                  "problems": [{"severity": "error"|"warning", "file", "line" (or null), "keyPath", "message"}],
                  "users": [effective limits of each --user]}

Exit codes: 0 ok, 1 errors (with --strict: or warnings), 2 bad usage.
`;

/** Usage text of `gpuwarden token`. */
export const TOKEN_USAGE = `gpuwarden token new [--file F] [--json]

  Print a new random token (32 bytes as hex) and its SHA-256. The token goes to the probe (or admin) and is
  stored nowhere else; only the SHA-256 goes into gpuwarden.yaml (hosts.<name>.token_sha256 or
  admins[].token_sha256). Alternatively save the token in a file and point token_file at it.
  --file F   write the token to F instead (mode 600; never over an existing file) and print only its SHA-256
  --json     print {"token", "sha256"} only (with --file: {"file", "sha256"})

Exit codes: 0 ok, 1 F exists or cannot be written, 2 bad usage.
`;

/** Usage text of `gpuwarden alerts`. */
export const ALERTS_USAGE = `gpuwarden alerts [--state pending|firing|resolved] [--host H] [--user U] [--rule R] [--severity S] [--limit N] [--json]

  The alerts the service holds (GET /v1/alerts), like amtool alert query: one line each with the rule, state and for
  how long ("firing for 2h 5min"), severity, host, user, summary. Without --state: pending and firing ones (resolved
  ones with --state resolved). Every filter narrows the list; the service returns at most --limit (default 100,
  at most 1000).
  --state S       pending, firing or resolved
  --host H        only alerts of host H
  --user U        only alerts whose user label is U
  --rule R        only alerts of rule R (the rule id, such as idle-gpu-container)
  --severity S    only alerts of severity S (info, warning, critical)
  --limit N       at most N alerts (1 to 1000; default 100)
  --json          print {"alerts": [{"fingerprint", "rule", "host", "severity", "stage", "state", "labels",
                  "annotations": {"summary", "description"}, "activeSince", "firedAt", "resolvedAt",
                  "lastMatchedAt", "updatedAt", "stale"}]} as the service returns them (times ISO 8601, UTC)
${ADMIN_CONNECTION_USAGE}`;

/** Usage text of `gpuwarden usage`. */
export const USAGE_USAGE = `gpuwarden usage [--user U] [--host H] [--gpu N] [--container NAME] [--sort gpueq|idle|memory] [--json] [--local [--replay DIR]]

  Who holds and uses which GPU now, like gpustat or nvitop for the whole fleet: totals per user, then one line per
  container (and per user for GPU processes outside containers) with its host, GPUs and MIG instances (0, 0:2),
  GPU-equivalents (a MIG instance counts its compute slices / 7; a container counts what it requested), GPU memory
  of its processes, utilisation (whole GPUs only: MIG reports none), how long it has been idle (from the service's
  tracked state; - when not known, always with --local) and processes.
  From the service (GET /v1/snapshots/latest: each host's newest snapshot since the service started), or with
  --local from this host's own probe. Every filter narrows the lines, and the totals are of the lines shown.
  --user U        only lines of user U
  --host H        only lines of host H
  --gpu N         only lines on GPU N (any of its MIG instances), or on MIG instance N:M
  --container C   only the container named C, or whose id starts with C (4 or more hex digits)
  --sort S        gpueq (most GPU-equivalents first; the default), idle (longest idle, then lowest utilisation,
                  first), memory (most GPU memory first)
  --json          print {"takenAt": {host: ISO time}, "users": [{"user", "hosts", "containers", "gpuEquivalents",
                  "memoryMiB", "processCount"}], "containers": [{"host", "gpus", "gpuIndexes", "user", "container",
                  "containerId", "gpuEquivalents", "memoryMiB", "utilizationPct", "processCount", "idleS"}]}
  --local         read this host with the probe's collectors instead of asking the service (needs what the probe
                  needs: nvidia-smi, the Docker socket, /proc)
  --replay DIR    with --local: read a capture folder (gpuwarden capture) instead of this host
${LIVE_SOURCE_FLAG_LINES}${ADMIN_CONNECTION_USAGE}  With --local, exit 1 also when the capture folder is unreadable.
`;

/** Usage text of `gpuwarden events`. */
export const EVENTS_USAGE = `gpuwarden events [--type PREFIX] [--host H] [--user U] [--since TIME] [--limit N] [--json] [--follow]

  The service's event log (GET /v1/events), oldest first: alert.*, action.*, notification.*, silence.*, grant.*,
  config.reload(_failed), snapshot.rejected, web.*. One line each with the time (UTC), type, host, user, subject (alert
  fingerprint, action, silence or grant id, notification group) and details.
  --type PREFIX   only events whose type starts with PREFIX (alert, alert.firing, config)
  --host H        only events of host H
  --user U        only events about user U
  --since TIME    only events at or after TIME: ISO 8601 (2026-11-25T10:00Z) or a duration before now (90m, 2h, 7d)
  --limit N       the newest N events (1 to 1000; default 100)
  --json          print each event as one JSON line: {"id", "at", "type", "host", "user", "subject", "details"}
  --follow        then keep printing new events as they come (asks every 2 s, from where the last reply ended)
                  until Ctrl-C (exit 0)
${ADMIN_CONNECTION_USAGE}`;

/** Usage text of `gpuwarden web-link`. */
export const WEB_LINK_USAGE = `gpuwarden web-link --user U [--ttl 7d] [--json]

  Mint a sign-in link for the web view (POST /v1/web/links): whoever opens it is signed in as user U and sees
  only U's own page (containers, alerts, usage). The link works again until it expires; send it to U only.
  Prints the link (on the service's public_url:, GPUWARDEN_PUBLIC_URL on Workers; without one, the path to put
  after the web view's address, with a note) and when it expires.
  --user U        whose page the link opens (the user name of their alerts, such as alice)
  --ttl D         how long the link works: 1m to 365d, such as 7d or 12h (default 30d)
  --json          print {"user", "path", "url" (null without a public URL), "expiresAt", "note"?}
${ADMIN_CONNECTION_USAGE}`;

/** Usage text of `gpuwarden silence`. */
export const SILENCE_USAGE = `gpuwarden silence add|ls|expire [--url URL] [--token-file F] ...

  gpuwarden silence add --comment TEXT [--duration 2h | --ends ISO] [--starts ISO] [--expire-on-resolve] MATCHER...
      Mute the alerts that match every MATCHER: name=value, name!=value, name=~regex, name!~regex (regexes are
      anchored; quote a value with spaces: 'user="a b"'). Labels: the alert's own (host, user, container, pid,
      gpu, ...) plus alertname (the rule id) and severity. --duration (s, m, h, d; default 1h) or --ends ISO;
      --starts ISO (default now); --expire-on-resolve ends the silence once the alerts it matched resolved.
      Prints the new silence's id.
  gpuwarden silence ls [--all] [--json]
      The silences in force now (--all: every silence, with its state). --json prints {"silences": [{"id",
      "matchers": [{"name", "value", "isRegex", "isEqual"}], "createdBy", "comment", "startsAt", "endsAt",
      "expireOnResolve", "createdAt", "expiredAt"}]}.
  gpuwarden silence expire ID
      End a silence now.

${ADMIN_CONNECTION_USAGE}`;

/** Usage text of `gpuwarden grant`. */
export const GRANT_USAGE = `gpuwarden grant add|ls|revoke [--url URL] [--token-file F] ...

  gpuwarden grant add --user U --rule R (--until ISO | --duration 3d) --reason TEXT
      Exempt user U from rule R (a rule id such as idle-gpu-container, or * for every rule) until a time: while
      the grant is in force their alert from that rule is an FYI notice and no enforcement action is planned.
      --duration: s, m, h, d (3d); --until: an ISO time with a zone (2026-12-04T17:00:00Z).
  gpuwarden grant ls [--all] [--json]
      The grants in force now, lifecycle-exemptions.yaml included (--all: expired and revoked ones too).
      --json prints {"grants": [{"id", "user", "rule", "until", "reason", "createdBy", "createdAt", "revokedAt",
      "source": "admin"|"lifecycle-exemptions"}]} (times ISO 8601, UTC; a permanent grant has until 9999-12-31…).
  gpuwarden grant revoke ID
      End a grant now (grants from lifecycle-exemptions.yaml are changed in that file).

${ADMIN_CONNECTION_USAGE}`;

/** Usage text of `gpuwarden actions`. */
export const ACTIONS_USAGE = `gpuwarden actions ls|approve [--url URL] [--token-file F] ...

  gpuwarden actions ls [--host H] [--state S] [--user U] [--limit N] [--json]
      Enforcement actions, newest first: what was planned (stop, signal, warn), for whom, and what came of it on
      the host (done, dry-run, vetoed, target-changed, failed, expired, refused), in words.
      States: awaiting-approval, scheduled, done, dry-run, vetoed, target-changed, failed, expired, refused.
      --json prints {"actions": [{"action": {"id", "type", "host", "target", "user", "reason", "notBefore", …},
      "state", "createdAt", "approvedBy", "approvedAt", "result"}]} as the service returns them.
  gpuwarden actions approve ID
      Release an action of a rule with "approve": true; it goes to its host with the host's next snapshot.

${ADMIN_CONNECTION_USAGE}`;

/** Usage text of `gpuwarden routes test`. */
export const ROUTES_TEST_USAGE = `gpuwarden routes test --config FILE [--users FILE] --labels k=v,... [--notify owner,admins,...] [--json]

  Shows every receiver an alert with these labels would reach (like amtool config routes test): the audience,
  where it goes (a webhook by where its URL comes from, e.g. webhook_url_env NAME), the group key and the timing.
  A dry run: no secret is read, so no variable needs to be set and no secret file to exist.
  --config FILE     notifications.yaml: route tree and receivers (*_env / *_file secrets are not read)
  --users FILE      users.yaml, to find the person in the alert's user label (for --notify owner)
  --labels k=v,...  the alert's labels, with alertname (the rule id) and severity; repeat for values with commas
  --notify LIST     the rule's notify list: owner, admins and receiver names (default: admins)
  --json            print [{receiver, audience, user, destination, route, groupKey, timing}] and the skipped entries

Exit codes: 0 ok, 1 invalid config, 2 bad usage.
`;

/** Usage text of `gpuwarden notify test`. */
export const NOTIFY_USAGE = `gpuwarden notify test --config notifications.yaml (--receiver NAME | --user NAME [--users users.yaml])

  Sends a message marked TEST through one receiver (as the admins get it), or to one person the way their own
  alerts reach them (users.yaml): through every channel they have (email and the Slack mention), one line per
  channel saying whether it was delivered. Secrets are read as the service reads them (env / *_file) and never
  printed.
  --config FILE     notifications.yaml: receivers and routes
  --receiver NAME   send through this receiver, as the admins get it
  --user NAME       send to this person the way their own alerts reach them (each of their channels)
  --users FILE      users.yaml, to find the person (with --user)

Exit codes: 0 delivered (on every channel), 1 not delivered (no such receiver or person, a channel refused), 2 bad usage.
`;

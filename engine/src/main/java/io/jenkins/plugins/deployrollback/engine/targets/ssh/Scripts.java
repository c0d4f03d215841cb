package io.jenkins.plugins.deployrollback.engine.targets.ssh;

/**
 * The shell scripts an SSH target runs on its host, one per step. Each runs with /bin/sh; every value
 * comes in as a quoted argument ($1 is always the deploy path), never spliced into the script text.
 * Exit statuses 20 and above are the scripts' own, mapped to messages by {@link SshTargetSession}.
 */
final class Scripts {
    private Scripts() {}

    /** $1 root. Creates the layout and checks the tools this host needs. */
    private static final String LAYOUT = """
            mkdir -p -- "$1/releases" "$1/shared" "$1/.deploy/manifests" "$1/.deploy/failed" "$1/.deploy/staging" \
              || exit 20
            cd -- "$1" || exit 20
            for tool in flock readlink mv ln sha256sum find awk tail; do
              command -v "$tool" >/dev/null 2>&1 || { echo "$tool is missing on this host" >&2; exit 21; }
            done
            find . -maxdepth 0 -printf '' 2>/dev/null \
              || { echo "find on this host is not GNU find (findutils): its -printf is needed" >&2; exit 21; }
            """;

    /** $1 root. Creates the layout; checks the tools. */
    static final String PREPARE = LAYOUT;

    /**
     * Under the guard's flock: replaces the lock only if it still holds $2 (the text expected, '' for
     * none) with $3 ('' removes it); else prints what it holds, exit 3.
     */
    private static final String SWAP = """
            exec 9>>.deploy/lock.guard || exit 20
            flock -w 30 9 || { echo "could not take .deploy/lock.guard within 30 s" >&2; exit 22; }
            now=
            if [ -f .deploy/lock ]; then now=$(cat .deploy/lock; printf x); now=${now%x}; fi
            if [ "$now" != "$2" ]; then printf '%s' "$now"; exit 3; fi
            if [ -z "$3" ]; then
              rm -f .deploy/lock
            else
              printf '%s' "$3" > ".deploy/.lock.$$" && mv -f ".deploy/.lock.$$" .deploy/lock || exit 23
            fi
            exec 9>&-
            """;

    /** $1 root, $2 the lock text expected now ('' for none), $3 the new text ('' to remove it). See {@link #SWAP}. */
    static final String SWAP_LOCK = """
            cd -- "$1" || exit 20
            """ + SWAP;

    /** Removes what interrupted operations left; prints each as {@code X <name>}. */
    private static final String CLEAN_UP = """
            for f in .deploy/staging/* .deploy/staging/.[!.]*; do
              [ -e "$f" ] || [ -L "$f" ] || continue
              printf 'X %s\\n' "${f#.deploy/}"
              rm -rf -- "$f"
            done
            for f in .current-* slots/.*-*; do [ -L "$f" ] && rm -f -- "$f"; done
            """;

    /** $1 root. Removes what interrupted operations left; prints each as {@code X <name>}. */
    static final String CLEAN = """
            cd -- "$1" || exit 20
            """ + CLEAN_UP + """
            exit 0
            """;

    /** $1 pid. Exit 0 when that process still runs a hook of ours (not a zombie, not a reused pid). */
    static final String HOOK_ALIVE = """
            [ -r "/proc/$1/cmdline" ] || exit 1
            state=$(sed 's/.*) \\(.\\).*/\\1/' "/proc/$1/stat" 2>/dev/null)
            [ "$state" = Z ] && exit 1
            tr '\\000' ' ' < "/proc/$1/cmdline" | grep -q deploy-rollback-hook || exit 1
            exit 0
            """;

    /**
     * $1 root. Prints the state: {@code C <link text>} or {@code N} (current not a link), one
     * {@code R <type> <mtime> <name>} per entry of releases/ (find's type letter, {@code d} for a folder;
     * seconds since the epoch, with a fraction), one {@code <sha256>  <path>} per manifest,
     * {@code L <lock>}, one {@code S <slot> <link text>} per blue/green slot, {@code W} when the root is not
     * writable (a read-only file system), then {@code G} and what the plan needs of the ledger: for each
     * release in releases/, its last stage or switch line, and the last switch line, each as {@code <line
     * number> TAB <line>}, newest first. The ledger is read backwards and only as far as the oldest of
     * those, so that inspecting a host with years of history costs what it costs on a new one. Read on
     * the way: {@code #unreadable <n>} for a line that is no JSON object; and first {@code #torn <n>
     * <bytes>} for a last line left incomplete by an interrupted writer (then the ledger is read whole).
     */
    static final String INSPECT = """
            cd -- "$1" 2>/dev/null || exit 0
            if [ -L current ]; then printf 'C %s\\n' "$(readlink current)"; elif [ -e current ]; then echo N; fi
            entries=
            [ -d releases ] && entries=$(find -H releases -mindepth 1 -maxdepth 1 -printf 'R %y %T@ %f\\n')
            [ -n "$entries" ] && printf '%s\\n' "$entries"
            set -- .deploy/manifests/*
            [ -f "$1" ] && sha256sum -- "$@"
            if [ -f .deploy/lock ]; then printf 'L '; cat .deploy/lock; echo; fi
            for s in blue green; do [ -L "slots/$s" ] && printf 'S %s %s\n' "$s" "$(readlink "slots/$s")"; done
            [ -w . ] || echo W
            echo G
            [ -f .deploy/ledger ] || exit 0
            total=$(wc -l < .deploy/ledger)
            torn=0
            if [ -s .deploy/ledger ] && [ -n "$(tail -c 1 .deploy/ledger)" ]; then
              torn=$(tail -n 1 .deploy/ledger | wc -c)
              echo "#torn $((total + 1)) $torn"
            fi
            if [ "$torn" -gt 0 ]; then
              head -c "$(( $(stat -c %s .deploy/ledger) - torn ))" .deploy/ledger | tac
            else
              tac .deploy/ledger
            fi | awk -v total="$total" -v entries="$entries" '
              BEGIN {
                count = entries == "" ? 0 : split(entries, rows, "\\n")
                for (i = 1; i <= count; i++) { name = rows[i]; sub(/^R [^ ]* [^ ]* /, "", name); here[name] = 1 }
              }
              { n = total - NR + 1; picked = 0 }
              /^[ \\t\\r]*$/ { next }
              !/^\\{.*\\}[ \\t\\r]*$/ { print "#unreadable " n; next }
              !switched && /"event":"switch"/ { switched = 1; picked = 1 }
              /"event":"(stage|switch)"/ && match($0, /,"to":"[^"]*"/) {
                id = substr($0, RSTART + 7, RLENGTH - 8)
                if ((id in here) && !(id in used)) { used[id] = 1; found++; picked = 1 }
              }
              picked { print n "\\t" $0 }
              switched && found >= count { exit }'
            exit 0
            """;

    /**
     * $1 root, $2 the lock text expected now ('' for none), $3 this operation's lock text. Creates the
     * layout and checks the tools, swaps the lock as {@link #SWAP_LOCK} does (printing the holder, exit
     * 3, when the lock is not $2), then removes what interrupted operations left ({@code X <name>} lines)
     * and prints the state as {@link #INSPECT} does: taking a lock and the first look cost one round trip.
     */
    static final String TAKE_LOCK = LAYOUT + SWAP + CLEAN_UP + "(\n" + INSPECT + ")\n";

    /**
     * $1 root, $2 staging folder name, $3 plan file name (in .deploy/staging). Applies the plan: modes,
     * links and copies; prints the SHA-256 of every file; then links the shared paths.
     */
    static final String FINISH_UPLOAD = """
            cd -- "$1/.deploy/staging/$2" || exit 20
            plan="../$3"
            tab=$(printf '\\t')
            while IFS="$tab" read -r kind path arg; do
              case "$kind" in
                f) chmod 644 -- "$path" || exit 50 ;;
                x) chmod 755 -- "$path" || exit 50 ;;
                l) ln -s -- "$arg" "$path" || exit 51 ;;
                h) cp -- "$arg" "$path" || exit 52 ;;
              esac
            done < "$plan"
            grep -E '^(f|x|h)' "$plan" | cut -f2 | sed 's|^|./|' | tr '\\n' '\\000' > "../$3.files"
            if command -v openssl >/dev/null 2>&1; then
              xargs -0 -r openssl dgst -sha256 -r < "../$3.files" || exit 56
            else
              xargs -0 -r sha256sum -- < "../$3.files" || exit 56
            fi
            # Shared paths are linked once the release's own files are proven.
            while IFS="$tab" read -r kind path arg; do
              case "$kind" in
                d) mkdir -p -- "$1/shared/$path" || exit 53 ;;
                s) if [ ! -e "$1/shared/$path" ]; then printf '%s' "$path" >&2; exit 54; fi ;;
                r) if [ -e "$path" ] || [ -L "$path" ]; then echo "replaced:$path"; rm -rf -- "$path"; fi
                   mkdir -p -- "$(dirname -- "$path")" && ln -s -- "$arg" "$path" || exit 55 ;;
              esac
            done < "$plan"
            """;

    /**
     * Shell functions: {@code fingerprint ID} prints the fingerprint of {@code releases/ID}, {@code
     * record_fingerprint ID} records it in {@code .deploy/fingerprints/ID} in one rename. For each
     * entry its type, mode, size, modification and change times, inode and path, sorted, as one SHA-256.
     * Any change through the file system moves an entry's change time, which no program can set; it
     * costs one stat per entry, whatever the files' sizes.
     */
    private static final String FINGERPRINT = """
            fingerprint() {
              find "releases/$1" -mindepth 1 -printf '%y %m %s %T@ %C@ %i %P\\n' | LC_ALL=C sort | sha256sum | cut -c1-64
            }
            record_fingerprint() {
              mkdir -p .deploy/fingerprints && fingerprint "$1" > ".deploy/fingerprints/.$1" \\
                && mv -f -- ".deploy/fingerprints/.$1" ".deploy/fingerprints/$1"
            }
            """;

    /**
     * $1 root, $2 release id. Prints {@code same} when releases/$2 has the fingerprint recorded when it
     * was staged or last stopped serving (recording it now for a release staged before fingerprints
     * were), else {@code changed}.
     */
    static final String CHECK_FINGERPRINT = FINGERPRINT + """
            cd -- "$1" || exit 20
            if [ -f ".deploy/fingerprints/$2" ]; then
              [ "$(cat -- ".deploy/fingerprints/$2")" = "$(fingerprint "$2")" ] && echo same || echo changed
            else
              record_fingerprint "$2" || exit 27
              echo same
            fi
            """;

    /**
     * $1 root, $2 release id. Checks releases/$2 in full, changing nothing: prints {@code A} when it is
     * absent, {@code M} when it has no manifest, else one {@code D <path>} per file whose SHA-256 is not
     * the manifest's (or that is missing), {@code L} when it is live, and {@code F same} or {@code F
     * changed} for its fingerprint (same when none is recorded).
     */
    static final String VERIFY_RELEASE = FINGERPRINT + """
            cd -- "$1" || exit 20
            [ -d "releases/$2" ] && [ ! -L "releases/$2" ] || { echo A; exit 0; }
            [ -f ".deploy/manifests/$2" ] || { echo M; exit 0; }
            awk -F '\t' '$1 == "F" { print $2 "  " $5 }' ".deploy/manifests/$2" \
              | (cd "releases/$2" && LC_ALL=C sha256sum -c 2>/dev/null) | sed -n 's/: FAILED.*$//p' | sed 's/^/D /'
            [ "$(readlink current 2>/dev/null)" = "releases/$2" ] && echo L
            if [ -f ".deploy/fingerprints/$2" ] && [ "$(cat -- ".deploy/fingerprints/$2")" != "$(fingerprint "$2")" ]; then
              echo F changed
            else
              echo F same
            fi
            exit 0
            """;

    /**
     * $1 root, $2 staging folder name, $3 release id, $4 manifest file name (in .deploy/staging), $5
     * ledger line. Makes the files durable, then puts the release and its manifest in place.
     */
    static final String COMMIT_STAGE = FINGERPRINT + """
            cd -- "$1" || exit 20
            s=".deploy/staging/$2"
            if [ -e "releases/$3" ] || [ -L "releases/$3" ]; then echo "releases/$3 appeared meanwhile" >&2; exit 24; fi
            find "$s" \\( -type f -o -type d \\) -exec sync -- {} + 2>/dev/null || sync
            mv -f -- ".deploy/staging/$4" ".deploy/manifests/$3" || exit 25
            mv -T -- "$s" "releases/$3" || exit 26
            record_fingerprint "$3" || exit 27
            rm -f -- "$s.plan" "$s.plan.files"
            sync -- releases .deploy/manifests 2>/dev/null || sync
            printf '%s\\n' "$5" >> .deploy/ledger
            """;

    /**
     * $1 root, $2 release id, $3 temporary link name, $4 what current is expected to point to before
     * ('' for nothing), $5 the ledger line of the switch from that. Prints what current pointed to
     * before, and records the fingerprint of that release as it was when it stopped serving. When
     * current pointed where expected, appends the ledger line and prints a second line, L: the switch
     * and its record then cost one round trip.
     */
    static final String SWITCH = FINGERPRINT + """
            cd -- "$1" || exit 20
            if [ ! -d "releases/$2" ] || [ -L "releases/$2" ]; then exit 30; fi
            before=
            if [ -e current ] || [ -L current ]; then
              [ -L current ] || exit 31
              before=$(readlink current)
            fi
            ln -s -- "releases/$2" "$3" || exit 32
            mv -T -f -- "$3" current || { rm -f -- "$3"; exit 33; }
            sync -- . 2>/dev/null || sync
            now=$(readlink current)
            if [ "$now" != "releases/$2" ]; then printf '%s' "$now"; exit 34; fi
            b=${before#releases/}
            if [ -n "$before" ] && [ "$b" != "$2" ] && [ -d "releases/$b" ] && [ ! -L "releases/$b" ]; then
              record_fingerprint "$b"
            fi
            if [ "$before" = "$4" ]; then
              printf '%s\n' "$5" >> .deploy/ledger || exit 35
              printf '%s\nL' "$before"
            else
              printf '%s' "$before"
            fi
            """;

    /** $1 root, $2 release id, $3 slot, $4 temporary link name (in slots/). Prints what the slot pointed to before. */
    static final String POINT_SLOT = """
            cd -- "$1" || exit 20
            if [ ! -d "releases/$2" ] || [ -L "releases/$2" ]; then exit 30; fi
            mkdir -p slots || exit 35
            before=
            if [ -e "slots/$3" ] || [ -L "slots/$3" ]; then
              [ -L "slots/$3" ] || exit 31
              before=$(readlink "slots/$3")
            fi
            ln -s -- "../releases/$2" "slots/$4" || exit 32
            mv -T -f -- "slots/$4" "slots/$3" || { rm -f -- "slots/$4"; exit 33; }
            sync -- slots 2>/dev/null || sync
            printf '%s' "$before"
            """;

    /** $1 root, $2 name of a staging folder. Removes it and its plan and manifest files. */
    static final String REMOVE_STAGING = """
            cd -- "$1/.deploy/staging" 2>/dev/null || exit 0
            rm -rf -- "$2" "$2.plan" "$2.plan.files" "$2.manifest"
            """;

    /** $1 root, $2 ledger line. */
    static final String APPEND_LEDGER = """
            cd -- "$1" || exit 20
            printf '%s\\n' "$2" >> .deploy/ledger
            """;

    /** $1 root, $2 release id, $3 archive name, $4 how many archives to keep, $5 ledger line. */
    static final String ARCHIVE = """
            cd -- "$1" || exit 20
            [ "$(readlink current 2>/dev/null)" = "releases/$2" ] && exit 40
            [ -e "releases/$2" ] || [ -L "releases/$2" ] || exit 0
            mkdir -p .deploy/failed
            mv -T -- "releases/$2" ".deploy/failed/$3" || exit 41
            rm -f -- ".deploy/manifests/$2" ".deploy/fingerprints/$2"
            touch -- ".deploy/failed/$3"
            printf '%s\\n' "$5" >> .deploy/ledger
            ls -1A .deploy/failed | LC_ALL=C sort | head -n -"$4" | while IFS= read -r old; do
              rm -rf -- ".deploy/failed/$old"
            done
            exit 0
            """;

    /** $1 root, $2 release id, $3 name to move it to in .deploy/staging, $4 ledger line. */
    static final String REMOVE = """
            cd -- "$1" || exit 20
            [ "$(readlink current 2>/dev/null)" = "releases/$2" ] && exit 40
            [ -e "releases/$2" ] || [ -L "releases/$2" ] || exit 0
            mkdir -p .deploy/staging
            mv -T -- "releases/$2" ".deploy/staging/$3" || exit 41
            rm -f -- ".deploy/manifests/$2" ".deploy/fingerprints/$2"
            rm -rf -- ".deploy/staging/$3"
            printf '%s\\n' "$4" >> .deploy/ledger
            """;

    /** $1 root. The ledger. */
    static final String LEDGER = """
            [ -f "$1/.deploy/ledger" ] && cat -- "$1/.deploy/ledger"
            exit 0
            """;

    /** $1 pid. Kills the process and its process group. */
    static final String KILL = """
            kill -KILL "-$1" 2>/dev/null
            kill -KILL "$1" 2>/dev/null
            exit 0
            """;

    /**
     * $1 release folder, $2 the hook's command, then NAME=value words to export. Prints its pid, waits
     * for a line on its input (sent once the lock names it), then runs the command with its output and
     * errors on one stream. Its process name carries {@code deploy-rollback-hook}, so a later lock holder
     * can tell whether it still runs.
     */
    static final String HOOK = """
            echo "$$"
            IFS= read -r go || exit 125
            cd -- "$1" || exit 126
            command=$2
            shift 2
            for assignment in "$@"; do export "$assignment"; done
            exec 2>&1 </dev/null
            /bin/sh -c "$command"
            """;
}

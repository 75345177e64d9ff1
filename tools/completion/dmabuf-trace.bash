# SPDX-License-Identifier: Apache-2.0
# bash completion for dmabuf-trace. Installed by `make install` into
# $(PREFIX)/share/bash-completion/completions/dmabuf-trace. Kept in sync with
# `dmabuf-trace COMMAND --list-flags` by tests/suite-outputs.

_dmabuf_trace_flags()
{
	case $1 in
	check) echo "--constraints --buf --pid --comm --dev --driver --exporter --since --until --min-severity --rule --no-rule --no-group --sort --max-findings --format --baseline --color --output --force --list-flags --help" ;;
	timeline) echo "--constraints --buf --pid --comm --dev --driver --exporter --since --until --min-severity --rule --no-rule --no-group --sort --max-findings --format --color --output --force --list-flags --help" ;;
	state) echo "--constraints --buf --pid --comm --dev --driver --exporter --since --until --format --at --live --socket --seed-bufinfo --output --force --list-flags --help" ;;
	daemon) echo "--constraints --dir --rotate-size --rotate-time --keep --keep-size --socket --socket-group --snapshot-on-error --snapshot-limit --flight-recorder --metrics-file --from-trace --ring-size --max-segs --attach-mode --no-stacks --seed-bufinfo --redact --reorder-window --list-flags --help" ;;
	status) echo "--format --socket --output --force --list-flags --help" ;;
	snapshot) echo "--socket --last --output --force --list-flags --help" ;;
	record) echo "--constraints --buf --pid --comm --dev --driver --exporter --since --until --min-severity --rule --no-rule --format --color --output --force --duration --quiet --all --ring-size --max-segs --attach-mode --reorder-window --max-walk --no-stacks --stack-depth --list-hooks --redact --seed-bufinfo --list-flags --help" ;;
	redact) echo "--output --force --list-flags --help" ;;
	import) echo "--from --output --force --list-flags --help" ;;
	ftrace-recipe) echo "--output --force --list-flags --help" ;;
	baseline) echo "--constraints --buf --pid --comm --dev --driver --exporter --since --until --min-severity --rule --no-rule --output --force --list-flags --help" ;;
	export) echo "--constraints --buf --pid --comm --dev --driver --exporter --since --until --min-severity --rule --no-rule --absolute-time --format --output --force --perfetto --list-flags --help" ;;
	report) echo "--constraints --buf --pid --comm --dev --driver --exporter --since --until --min-severity --rule --no-rule --no-group --sort --max-findings --format --output --force --html --list-flags --help" ;;
	advise) echo "--constraints --buf --pid --comm --dev --driver --exporter --since --until --format --output --force --list-flags --help" ;;
	rules) echo "--format --output --force --list-flags --help" ;;
	esac
}

_dmabuf_trace_formats()
{
	case $1 in
	check) echo "text json junit" ;;
	timeline) echo "text json" ;;
	state) echo "text json" ;;
	status) echo "text json" ;;
	record) echo "text json" ;;
	export) echo "perfetto" ;;
	report) echo "html" ;;
	advise) echo "text json" ;;
	rules) echo "text json" ;;
	esac
}

_dmabuf_trace_rules="late-attach segment-count not-contiguous segment-size segment-boundary map-failed unbalanced-unmap detach-while-mapped unknown-attachment release-with-attachments leak-at-end lost-events contiguous-by-chance use-after-detach"

_dmabuf_trace()
{
	local cur prev words cword
	if declare -F _init_completion >/dev/null; then
		_init_completion -s || return
	else
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		cword=$COMP_CWORD
		words=("${COMP_WORDS[@]}")
	fi
	local commands="check timeline state daemon status snapshot record redact import ftrace-recipe baseline export report advise rules"
	if [ "$cword" -eq 1 ]; then
		COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
		return
	fi
	local cmd=${words[1]}
	# after `record --`, complete the command to run
	local i
	for ((i = 2; i < cword; i++)); do
		if [ "${words[i]}" = "--" ]; then
			COMPREPLY=($(compgen -c -- "$cur"))
			return
		fi
	done
	case $prev in
	--format | -f)
		COMPREPLY=($(compgen -W "text json junit" -- "$cur")); return ;;
	--min-severity)
		COMPREPLY=($(compgen -W "info warning error" -- "$cur")); return ;;
	--color)
		COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
	--attach-mode)
		COMPREPLY=($(compgen -W "auto fentry kprobe" -- "$cur")); return ;;
	--from)
		COMPREPLY=($(compgen -W "ftrace" -- "$cur")); return ;;
	--constraints | -c)
		COMPREPLY=($(compgen -W "none" -- "$cur") $(compgen -f -- "$cur")); return ;;
	--baseline | --output | -o | --perfetto | --html | --seed-bufinfo)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--buf | --at | --duration | -d | --pid | -p | --ring-size | --max-segs | --max-walk | --stack-depth | --reorder-window)
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_dmabuf_trace_flags "$cmd")" -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _dmabuf_trace dmabuf-trace

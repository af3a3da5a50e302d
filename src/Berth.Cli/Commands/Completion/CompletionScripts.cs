namespace Berth.Cli.Commands.Completion;

/// <summary>
/// The scripts <c>berth completion</c> prints. Each is a thin client of <c>berth __complete</c> (cobra's protocol,
/// served by <c>ShellComplete</c>): every TAB sends the words typed so far and offers the candidates that come back,
/// honouring the directive's bits (error, no space, no file names). Berth never sends cobra's file-extension or
/// directory filters, so the scripts do not handle them.
/// </summary>
internal static class CompletionScripts
{
    public static string For(Shell shell, bool descriptions)
    {
        var complete = descriptions ? "__complete" : "__completeNoDesc";
        return shell switch
        {
            Shell.Bash => Bash,
            Shell.Zsh => Zsh.Replace("__COMPLETE", complete, StringComparison.Ordinal),
            _ => Fish.Replace("__COMPLETE", complete, StringComparison.Ordinal),
        } + "\n";
    }

    // Bash offers no descriptions: it asks for none.
    private const string Bash = """"
# bash completion for berth                                 -*- shell-script -*-
#
# Written by 'berth completion bash'. On TAB it runs 'berth __completeNoDesc WORD...' with the words up to the
# cursor and offers what comes back: one candidate a line, then ':N', N a set of bits (1 failed: offer nothing,
# 2 no space after the word, 4 no file names instead, 32 keep the order).

__berth_complete()
{
    local cur words cword
    if declare -F _get_comp_words_by_ref >/dev/null 2>&1; then
        _get_comp_words_by_ref -n =: cur words cword
    else
        read -r -a words <<< "${COMP_LINE:0:COMP_POINT}"
        [[ ${COMP_LINE:COMP_POINT-1:1} == [[:space:]] ]] && words+=("")
        cword=$(( ${#words[@]} - 1 ))
        cur=${words[cword]}
    fi

    local out directive
    out=$("${words[0]}" __completeNoDesc "${words[@]:1:cword}" 2>/dev/null)
    directive=${out##*:}
    out=${out%:*}
    [[ $directive =~ ^[0-9]+$ ]] || directive=0
    (( directive & 1 )) && return 0

    # A flag's value typed as --flag=value: the candidates are values, the word is the whole.
    local prefix=""
    [[ $cur == -*=* ]] && prefix=${cur%%=*}=

    # bash replaces only what follows the word's last break character (':' in busybox:latest, '=' after a flag).
    local i keep=0
    for (( i = ${#cur} - 1; i >= 0; i-- )); do
        if [[ $COMP_WORDBREAKS == *"${cur:i:1}"* ]]; then
            keep=$(( i + 1 ))
            break
        fi
    done

    local line full
    COMPREPLY=()
    while IFS= read -r line; do
        [[ -z $line ]] && continue
        full=$prefix$line
        [[ $full == "$cur"* ]] && COMPREPLY+=("${full:keep}")
    done <<< "$out"

    (( directive & 2 )) && compopt -o nospace 2>/dev/null
    (( directive & 32 )) && compopt -o nosort 2>/dev/null
    # Registered with -o default: an empty answer falls back to file names unless the directive forbids them.
    (( ${#COMPREPLY[@]} == 0 && directive & 4 )) && compopt +o default 2>/dev/null
    return 0
}

complete -o default -F __berth_complete berth
"""";

    private const string Zsh = """"
#compdef berth
compdef _berth berth

# zsh completion for berth
#
# Written by 'berth completion zsh'. On TAB it runs 'berth __COMPLETE WORD...' with the words up to the cursor
# and offers what comes back: one candidate a line ('value<TAB>description'), then ':N', N a set of bits
# (1 failed: offer nothing, 2 no space after the word, 4 no file names instead).

_berth()
{
    local -a lines candidates options
    local out directive line value

    out=$("${words[1]}" __COMPLETE "${(@)words[2,CURRENT]}" 2>/dev/null)
    lines=("${(@f)out}")
    directive=${lines[-1]#:}
    [[ $directive == <-> ]] || directive=0
    lines=("${(@)lines[1,-2]}")
    (( directive & 1 )) && return 1

    # A flag's value typed as --flag=value: complete what follows the '='.
    [[ ${words[CURRENT]} == -*=* ]] && compset -P '*='

    for line in "${lines[@]}"; do
        [[ -z $line ]] && continue
        value=${${line%%$'\t'*}//:/\\:}
        if [[ $line == *$'\t'* ]]; then
            candidates+=("$value:${line#*$'\t'}")
        else
            candidates+=("$value")
        fi
    done

    if (( ${#candidates} > 0 )); then
        (( directive & 2 )) && options+=(-S '')
        _describe 'completions' candidates "${options[@]}"
        return
    fi
    (( directive & 4 )) && return 1
    _files
}

# Autoloaded from fpath the file's body is the function: run it. Sourced, the compdef above is all.
if [[ $funcstack[1] == _berth ]]; then
    _berth "$@"
fi
"""";

    private const string Fish = """"
# fish completion for berth
#
# Written by 'berth completion fish'. On TAB it runs 'berth __COMPLETE WORD...' with the words up to the cursor
# and offers what comes back: one candidate a line ('value<TAB>description'), then ':N', N a set of bits
# (1 failed: offer nothing, 4 no file names instead).

function __berth_complete
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    set -l program $tokens[1]
    set -e tokens[1]
    set -l out ($program __COMPLETE $tokens $current 2>/dev/null)
    set -l directive 0
    if string match -qr '^:[0-9]+$' -- $out[-1]
        set directive (string sub -s 2 -- $out[-1])
        set -e out[-1]
    end
    if test (math "$directive % 2") -eq 1
        return
    end

    # A flag's value typed as --flag=value: the candidates are values, fish replaces the whole word.
    set -l prefix ''
    if string match -qr -- '^-[^=]*=' $current
        set prefix (string replace -r -- '=.*' '=' $current)
    end
    for line in $out
        test -n "$line"; and printf '%s%s\n' $prefix $line
    end
    if test (count $out) -eq 0; and test (math "floor($directive / 4) % 2") -eq 0
        __fish_complete_path $current
    end
end

complete -c berth -f -a '(__berth_complete)'
"""";
}

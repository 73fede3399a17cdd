/**
 * The completion scripts, one per shell. Each asks the program for candidates (`catalog-debug
 * __complete WORD…`, see `complete.ts`) and falls back to file names when there are none (a
 * `--store` path, a TARGET).
 */
import { PROGRAM } from '../output.js'
import { COMPLETE_WORD, type Shell } from './complete.js'

const FN = PROGRAM.replace(/-/g, '_')

const BASH = `###-begin-${PROGRAM}-completions-###
# bash completion for ${PROGRAM}. Install: ${PROGRAM} completion bash >> ~/.bashrc
_${FN}_completions() {
  local IFS=$'\\n'
  COMPREPLY=($(${PROGRAM} ${COMPLETE_WORD} "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -o nosort -F _${FN}_completions ${PROGRAM} 2>/dev/null || complete -o default -F _${FN}_completions ${PROGRAM}
###-end-${PROGRAM}-completions-###
`

const ZSH = `#compdef ${PROGRAM}
# zsh completion for ${PROGRAM}. Install: ${PROGRAM} completion zsh >> ~/.zshrc (after compinit)
_${FN}() {
  local -a candidates
  candidates=("\${(@f)$(${PROGRAM} ${COMPLETE_WORD} "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  if [[ \${#candidates[@]} -eq 0 || -z "\${candidates[1]}" ]]; then
    _files
  else
    compadd -- "\${candidates[@]}"
  fi
}
compdef _${FN} ${PROGRAM}
`

const FISH = `# fish completion for ${PROGRAM}. Install: ${PROGRAM} completion fish > ~/.config/fish/completions/${PROGRAM}.fish
function __${FN}_complete
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l current (commandline -ct)
    set -l found (${PROGRAM} ${COMPLETE_WORD} $tokens $current 2>/dev/null)
    if test (count $found) -gt 0
        printf '%s\\n' $found
    else
        __fish_complete_path $current
    end
end
complete -c ${PROGRAM} -f -a '(__${FN}_complete)'
`

export function completionScript(shell: Shell): string {
  return shell === 'bash' ? BASH : shell === 'zsh' ? ZSH : FISH
}

// Issue 3's syntax sheet, verbatim (its comments aligned by hand): a fixture for the parser and formatter tests.

export const SYNTAX_SHEET = `# a comment runs to the end of the line
mode cow                            # optional header: cow (default) | eager
process shell                       # a new process named shell
shell: map heap 8 private           # region 'heap' of 8 pages: private | shared
shell: write heap[0] "ls -l"        # one page, with a value
shell: write heap[1..3]             # pages 1 to 3 inclusive (value optional)
shell: read heap[4]                 # untouched page: maps the shared zero page
shell: fork child                   # child is the new process's name
child: write heap[1] "mine"
child: exec                         # fresh, empty address space
child: exit
shell: vfork helper
shell: unmap heap
shell: madvise heap[0..1] dontfork  # dontfork | wipeonfork
checkpoint "after fork"
expect shell heap[1] shared with child
expect child heap[1] private
expect copies == 1                  # copies | frames | faults | reuses
note "Only the page the child wrote was copied."
`;

complete --keep-order --exclusive --command roster --arguments "(COMPLETE=fish roster -- (commandline --current-process --tokenize --cut-at-cursor) (commandline --current-token))"

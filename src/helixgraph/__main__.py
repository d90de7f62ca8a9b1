from helixgraph.cli import main

main()

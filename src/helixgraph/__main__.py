from helixgraph.cli.main import main

main()

from ipoffice.entrypoints.cli import main

main()

from reportc.cli import main

main()

from geoverify.cli import main

main()

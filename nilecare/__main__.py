from nilecare.runtime.cli import main

main()

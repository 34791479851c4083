"""`python -m rasa_server <rasa arguments>`: Rasa's command line, patches installed first."""

import sys

from rasa.__main__ import main

from rasa_server.patches import install

if __name__ == "__main__":
    install()
    sys.argv[0] = "rasa"  # Rasa's help and errors name the command users know
    sys.exit(main())

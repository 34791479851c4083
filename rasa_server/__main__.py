"""`python -m rasa_server <rasa arguments>`: Rasa's command line, patches and the
conversation's language (language.py) installed first."""

import sys

from rasa.__main__ import main

from rasa_server import language
from rasa_server.patches import install

if __name__ == "__main__":
    install()
    language.install()
    sys.argv[0] = "rasa"  # Rasa's help and errors name the command users know
    sys.exit(main())

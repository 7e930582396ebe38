"""Shizheng (示证): the entry point. See `python app.py --help`."""

from presenter.cli import main

if __name__ == "__main__":
    main()

#!/usr/bin/env python
from kotacerdas.cli import main

if __name__ == "__main__":
    main()

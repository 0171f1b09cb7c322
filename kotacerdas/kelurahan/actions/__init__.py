"""Every change to letters data (see the modules): requests, letters, templates, registers."""

"""Day 2: what a user does with databases that already exist (list, modify availability, reboot, delete).

Headless: each module holds the state and the AWS calls; the Textual screen, the plain prompts and the
CLI only render it and ask for confirmation.
"""

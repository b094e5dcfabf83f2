print("synchub")

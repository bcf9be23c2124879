print("podrt")

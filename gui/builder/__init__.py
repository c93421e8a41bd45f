"""The layer builder: the table of layers and the form that edits one."""

"""The actions app's forms, a module for each part."""

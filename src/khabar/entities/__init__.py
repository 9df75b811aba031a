"""Entity recognition and linking: gazetteer matching, the cross-script name key, roles."""

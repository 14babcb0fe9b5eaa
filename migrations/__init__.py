"""Every table, the event store's included: ordered steps, applied once, recorded.

Steps are ``NNNN_name.sql`` files beside this module, plus the event store, whose
statements come from the eventsourcing library itself so they always match it.
"""

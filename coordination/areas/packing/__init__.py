"""Packing sites: their lines and targets, box batches logged by line leads, truck dispatch."""

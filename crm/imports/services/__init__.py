"""The writes of an import: the rows of a file through the customer and payment services,
and the batches the admin's import keeps between its steps."""

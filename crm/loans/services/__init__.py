"""Writing loans: applications and their checks against the product (`applications`), the
lifecycle steps (`lifecycle`: start, refuse, withdraw, write off) and money received
(`payments`: record, reverse).

Every function takes the session first, flushes and never commits; a refusal raises
FieldError naming the field it is about ("status" for a step the loan's status does not
allow), or StaleDataError when the user's form was built from an older version of the loan.
"""

"""Distribution: points, governorate and national boards, household import, reports and API."""

"""Protection centres of the CN offices: their dated technical fields and registered applicants."""

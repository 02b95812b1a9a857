package io.github.apikey.spring.coexistence.app;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;

/** An entity of the application that uses the starter. */
@Entity
public class Invoice {

    @Id
    @GeneratedValue
    private Long id;

    private String number;

    protected Invoice() {
    }

    public Invoice(String number) {
        this.number = number;
    }

    public Long getId() {
        return id;
    }

    public String getNumber() {
        return number;
    }
}
